import type { Metrics, PrPoint } from './metrics.js';

export interface EvaluationReport {
  title: string;
  scenario: { seed: number; accounts: number; events: number };
  model: { version: string; reviewThreshold: number };
  engine: Metrics;
  baselines: Record<string, Metrics>;
  timings: Record<string, number>;
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

const COLOURS = ['#1f6feb', '#d29922', '#8250df', '#2da44e'];

/** A precision–recall plot as inline SVG: no script, no external asset. */
function prCurveSvg(series: Array<{ name: string; curve: PrPoint[] }>): string {
  const size = 360;
  const pad = 40;
  const x = (recall: number) => pad + recall * (size - 2 * pad);
  const y = (precision: number) => size - pad - precision * (size - 2 * pad);
  const lines = series.map(({ name, curve }, index) => {
    const points = curve
      .map((point) => `${x(point.recall).toFixed(1)},${y(point.precision).toFixed(1)}`)
      .join(' ');
    const colour = COLOURS[index % COLOURS.length];
    return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"><title>${escapeHtml(name)}</title></polyline>
<text x="${size - pad - 150}" y="${pad + 16 * index + 10}" fill="${colour}" font-size="12">${escapeHtml(name)}</text>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) => `<text x="${x(t)}" y="${size - pad + 16}" font-size="10" text-anchor="middle">${t}</text>
<text x="${pad - 6}" y="${y(t) + 3}" font-size="10" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<svg role="img" aria-label="Precision-recall curves" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" xmlns="http://www.w3.org/2000/svg">
<rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="none" stroke="#999"/>
${ticks}
<text x="${size / 2}" y="${size - 6}" font-size="12" text-anchor="middle">recall</text>
<text x="12" y="${size / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">precision</text>
${lines.join('\n')}
</svg>`;
}

function table(headers: string[], rows: string[][]): string {
  const head = headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A self-contained HTML page a reviewer can open from disk. */
export function renderReportHtml(report: EvaluationReport): string {
  const systems: Array<[string, Metrics]> = [
    ['Mirrorwatch', report.engine],
    ...Object.entries(report.baselines),
  ];
  const headline = table(
    [
      'system',
      'threshold',
      'precision',
      'recall',
      'F1',
      'PR-AUC',
      'right parent top-1',
      'true pos.',
      'false pos.',
    ],
    systems.map(([name, m]) => [
      name,
      m.threshold.toFixed(2),
      pct(m.precision),
      pct(m.recall),
      pct(m.f1),
      m.prAuc.toFixed(3),
      pct(m.parentTop1),
      String(m.truePositives),
      String(m.falsePositives),
    ]),
  );
  const byTactic = table(
    ['tactic', 'mirrors', 'recall'],
    Object.entries(report.engine.recallByTactic).map(([k, v]) => [k, String(v.mirrors), pct(v.recall)]),
  );
  const byTiming = table(
    ['timing', 'mirrors', 'recall'],
    Object.entries(report.engine.recallByTiming).map(([k, v]) => [k, String(v.mirrors), pct(v.recall)]),
  );
  const fpr = table(
    ['benign kind', 'accounts', 'false-positive rate'],
    [
      ...Object.entries(report.engine.falsePositiveRateByHardNegative).map(([k, v]) => [
        k,
        String(v.accounts),
        pct(v.rate),
      ]),
      ['ordinary', String(report.engine.benign), pct(report.engine.falsePositiveRateOrdinary)],
    ],
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1f2328}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}h2{margin-top:2rem}</style></head>
<body><h1>${escapeHtml(report.title)}</h1>
<p>Scenario seed ${report.scenario.seed}, ${report.scenario.accounts} accounts, ${report.scenario.events} events.
Model ${escapeHtml(report.model.version)}, review threshold ${report.model.reviewThreshold}.</p>
<h2>Headline</h2>${headline}
<h2>Precision–recall</h2>${prCurveSvg(systems.map(([name, m]) => ({ name, curve: m.curve })))}
<h2>Recall by evasion tactic</h2>${byTactic}
<h2>Recall by timing</h2>${byTiming}
<h2>False positives by kind of benign account</h2>${fpr}
<h2>Timings</h2>${table(
    ['step', 'seconds'],
    Object.entries(report.timings).map(([k, v]) => [k, v.toFixed(2)]),
  )}
</body></html>
`;
}
