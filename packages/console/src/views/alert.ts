import { type Alert, ApiError, decide, getAlert } from '../api';
import { handleView, message, scoreText, statusBadge } from '../components';
import { announce, duration, h, time } from '../dom';
import type { Context, View } from '../view';
import { evidenceText, formatBits, signalLabel, waterfall } from '../waterfall';

type Match = Alert['matches'][number];
type Decision = 'confirm' | 'dismiss';

const VIA: Record<NonNullable<Match['via']>, string> = {
  candidate: "the candidate's own account event",
  'retro-hunt': 'a retro-hunt of recent accounts when the ban arrived',
  report: 'a report from outside the platform',
};

export function alertView(ctx: Context, id: string): View {
  let alert: Alert | undefined;
  let deciding = false;
  const heading = h('h1', { tabindex: -1 }, 'Alert');
  const body = h('div', { class: 'alert-body' }, h('p', {}, 'Loading…'));
  const outcome = h('div', { class: 'decision-outcome', id: 'decision-outcome' });
  ctx.main.replaceChildren(
    h('nav', { 'aria-label': 'Breadcrumb', class: 'breadcrumb' }, h('a', { href: '#/queue' }, '← Queue')),
    heading,
    body,
  );

  const note = h('textarea', { id: 'decision-note', name: 'note', rows: 4, maxlength: 2000 });
  const dialogTitle = h('h2', { id: 'decision-title' });
  const dialogHelp = h('p', { id: 'decision-help' });
  const submit = h('button', { type: 'submit', class: 'primary' });
  const dialog = h(
    'dialog',
    { class: 'decision-dialog', 'aria-labelledby': 'decision-title', 'aria-describedby': 'decision-help' },
    h(
      'form',
      { method: 'dialog' },
      dialogTitle,
      dialogHelp,
      h('label', { for: 'decision-note' }, 'Note for the audit trail (why)'),
      note,
      h(
        'p',
        { class: 'hint' },
        h('kbd', {}, 'Ctrl'),
        '+',
        h('kbd', {}, 'Enter'),
        ' submits, ',
        h('kbd', {}, 'Esc'),
        ' cancels.',
      ),
      h(
        'div',
        { class: 'dialog-actions' },
        submit,
        h('button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'),
      ),
    ),
  );
  document.body.append(dialog);
  let pending: Decision = 'confirm';

  note.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      dialog.close('submit');
    }
  });
  submit.addEventListener('click', (event) => {
    event.preventDefault();
    dialog.close('submit');
  });
  dialog.addEventListener('close', () => {
    if (dialog.returnValue === 'submit') void send(pending, note.value);
  });

  function ask(decision: Decision): void {
    if (!alert || deciding) return;
    if (alert.status !== 'open') {
      outcome.replaceChildren(message('info', `This alert is already ${alert.status}.`));
      return;
    }
    pending = decision;
    const entities = [...new Set(alert.matches.map((match) => match.entity))].join(', ');
    dialogTitle.textContent = decision === 'confirm' ? 'Confirm this alert' : 'Dismiss this alert';
    dialogHelp.textContent =
      decision === 'confirm'
        ? `Confirming records that ${alert.candidate.handle} is a mirror of ${entities}; the platform is told and the account joins the banned index.`
        : `Dismissing records that ${alert.candidate.handle} is not a mirror; this pair will not be alerted again.`;
    submit.textContent = decision === 'confirm' ? 'Confirm' : 'Dismiss';
    dialog.returnValue = '';
    dialog.showModal();
    note.focus();
  }

  async function send(decision: Decision, text: string): Promise<void> {
    if (!alert) return;
    deciding = true;
    outcome.replaceChildren(message('info', decision === 'confirm' ? 'Confirming…' : 'Dismissing…'));
    try {
      alert = await decide(alert.id, decision, text);
      note.value = '';
      const verb = alert.status;
      outcome.replaceChildren(
        message('success', `Alert ${verb}. The decision and your note are in the audit trail.`),
      );
      announce(`Alert ${verb}.`);
      render();
    } catch (error) {
      outcome.replaceChildren(message('error', failure(error)));
      if (error instanceof ApiError && error.status === 409) void reload();
    } finally {
      deciding = false;
    }
  }

  function failure(error: unknown): string {
    if (!(error instanceof ApiError)) return `The decision was not sent: ${(error as Error).message}`;
    if (error.status === 403)
      return 'Your role cannot decide alerts: this token may read alerts but not confirm or dismiss them. Ask an admin for a moderator token.';
    if (error.status === 409)
      // The service's message names who decided and when ("alert was already confirmed by … at …").
      return `Someone else decided first — ${error.message}. Your decision was not recorded.`;
    if (error.status === 404) return 'This alert no longer exists.';
    return `The decision failed (${error.status}): ${error.message}`;
  }

  async function reload(): Promise<void> {
    try {
      alert = await getAlert(id);
      render();
    } catch (error) {
      const text =
        error instanceof ApiError && error.status === 404
          ? `There is no alert ${id}.`
          : `Could not load the alert: ${(error as Error).message}`;
      body.replaceChildren(message('error', text));
    }
  }

  function render(): void {
    if (!alert) return;
    const current = alert;
    heading.replaceChildren(
      'Alert: ',
      handleView(current.candidate.handle),
      ' ',
      statusBadge(current.status),
    );
    const open = current.status === 'open';
    body.replaceChildren(
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'),
        h('dd', { id: 'alert-status' }, current.status),
        h('dt', {}, 'Score'),
        h('dd', {}, scoreText(current.score)),
        h('dt', {}, 'Candidate'),
        h('dd', {}, `${current.candidate.platform} account ${current.candidate.accountId}`),
        h('dt', {}, 'Found in'),
        h('dd', {}, `${duration(current.latencyMs)} from the event reaching Mirrorwatch`),
        h('dt', {}, 'Alert id'),
        h('dd', {}, h('code', {}, current.id)),
      ),
      h(
        'section',
        { class: 'decision', 'aria-labelledby': 'decision-heading' },
        h('h2', { id: 'decision-heading' }, 'Decision'),
        h(
          'p',
          {},
          open
            ? 'An alert is a candidate for review, never a ban. Check the evidence, then decide.'
            : `This alert was ${current.status}.`,
        ),
        h(
          'div',
          { class: 'decision-actions' },
          h(
            'button',
            { type: 'button', class: 'primary', disabled: !open, onclick: () => ask('confirm') },
            'Confirm… ',
            h('kbd', {}, 'c'),
          ),
          h(
            'button',
            { type: 'button', disabled: !open, onclick: () => ask('dismiss') },
            'Dismiss… ',
            h('kbd', {}, 'd'),
          ),
        ),
        outcome,
      ),
      ...current.matches.map((match, n) => matchSection(current, match, n)),
    );
  }

  const stopLive = ctx.onLive((update) => {
    if (update.id !== id || deciding) return;
    const changed = alert?.status !== update.status;
    alert = update;
    render();
    if (changed && update.status !== 'open')
      outcome.replaceChildren(message('info', `Meanwhile this alert was ${update.status} by someone else.`));
  });
  void reload();

  return {
    dispose() {
      stopLive();
      dialog.remove();
    },
    shortcut(key) {
      if (key === 'c') ask('confirm');
      else if (key === 'd') ask('dismiss');
      else if (key === 'u' || key === 'Escape') ctx.navigate('#/queue');
      else return false;
      return true;
    },
  };
}

function matchSection(alert: Alert, match: Match, n: number): HTMLElement {
  const headingId = `match-${n}`;
  return h(
    'section',
    { class: 'match', 'aria-labelledby': headingId },
    h(
      'h2',
      { id: headingId },
      `Match ${n + 1} of ${alert.matches.length}: `,
      handleView(match.handle),
      ` — ${match.entity}, score ${scoreText(match.score)}`,
    ),
    h(
      'div',
      { class: 'side-by-side' },
      accountCard(
        'Candidate',
        'candidate',
        alert.candidate.platform,
        alert.candidate.handle,
        alert.candidate.accountId,
      ),
      accountCard('Banned account', 'banned', match.platform, match.handle, match.accountId, match.entity),
    ),
    h(
      'p',
      { class: 'provenance' },
      `Found by ${match.via ? VIA[match.via] : 'an unrecorded route'} · model ${match.modelVersion ?? 'not recorded'}`,
    ),
    timeline(alert, match, n),
    evidenceTable(match, n),
  );
}

function accountCard(
  title: string,
  kind: 'candidate' | 'banned',
  platform: string,
  handle: string,
  accountId: string,
  entity?: string,
): HTMLElement {
  return h(
    'article',
    { class: `account account-${kind}`, 'aria-label': title },
    h('h3', {}, title),
    h('p', { class: 'account-handle' }, handleView(handle)),
    h(
      'dl',
      {},
      h('dt', {}, 'Platform'),
      h('dd', {}, platform),
      h('dt', {}, 'Account id'),
      h('dd', {}, h('code', {}, accountId)),
      entity ? h('dt', {}, 'Entity') : null,
      entity ? h('dd', {}, entity) : null,
    ),
  );
}

function timeline(alert: Alert, match: Match, n: number): HTMLElement {
  const events: Array<{ who?: string; what: string; at: string }> = [];
  if (match.bannedAt) events.push({ who: match.handle, what: 'banned at', at: match.bannedAt });
  if (alert.candidate.createdAt)
    events.push({ who: alert.candidate.handle, what: 'created at', at: alert.candidate.createdAt });
  else events.push({ who: alert.candidate.handle, what: 'received', at: alert.candidate.receivedAt });
  events.push({ what: 'alerted at', at: alert.createdAt });
  events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const banned = match.bannedAt ? Date.parse(match.bannedAt) : undefined;
  return h(
    'section',
    { class: 'timeline-section', 'aria-labelledby': `timeline-${n}` },
    h('h3', { id: `timeline-${n}` }, 'Timeline'),
    h(
      'ol',
      { class: 'timeline' },
      ...events.map((event) => {
        const at = Date.parse(event.at);
        const relative =
          banned !== undefined && at !== banned
            ? ` (${duration(at - banned)} ${at < banned ? 'before' : 'after'} the ban)`
            : '';
        return h(
          'li',
          {},
          event.who ? handleView(event.who) : null,
          ' ',
          h('span', { class: 'timeline-label' }, event.what),
          ' ',
          time(event.at),
          relative,
        );
      }),
    ),
  );
}

function evidenceTable(match: Match, n: number): HTMLElement {
  const fall = waterfall(match.evidence, match.score);
  const span = fall.max - fall.min || 1;
  const position = (value: number) => ((value - fall.min) / span) * 100;
  const bar = (from: number, to: number, kind: string) => {
    const track = h('div', { class: 'bar-track', 'aria-hidden': 'true' });
    const zero = h('div', { class: 'bar-zero' });
    zero.style.left = `${position(0)}%`;
    const fill = h('div', { class: `bar bar-${kind}` });
    fill.style.left = `${position(Math.min(from, to))}%`;
    fill.style.width = `${Math.max(0.5, Math.abs(position(to) - position(from)))}%`;
    track.append(zero, fill);
    return track;
  };
  const row = (
    signal: Node | string,
    weight: string,
    track: HTMLElement,
    running: string,
    detail: string,
    cls: string,
  ) =>
    h(
      'tr',
      { class: cls },
      h('th', { scope: 'row' }, signal),
      h('td', { class: 'num' }, weight),
      h('td', { class: 'bar-cell' }, track),
      h('td', { class: 'num' }, running),
      h('td', { class: 'evidence-detail' }, detail),
    );
  return h(
    'section',
    { class: 'evidence-section', 'aria-labelledby': `evidence-${n}` },
    h('h3', { id: `evidence-${n}` }, 'Evidence'),
    h(
      'table',
      { class: 'waterfall' },
      h(
        'caption',
        {},
        'Each signal’s weight in bits (log2 of the odds); positive weights point to the same operator, negative ones away from it. The running total is the score’s log-odds.',
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Signal'),
          h('th', { scope: 'col' }, 'Weight'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Bar')),
          h('th', { scope: 'col' }, 'Running total'),
          h('th', { scope: 'col' }, 'What matched'),
        ),
      ),
      h(
        'tbody',
        {},
        row(
          'Prior',
          formatBits(fall.start),
          bar(0, fall.start, 'prior'),
          formatBits(fall.start),
          fall.startKnown
            ? 'the model’s starting odds before any evidence (recovered from the score)'
            : 'score too close to 0 or 1 to recover the prior; the sum starts at 0',
          'waterfall-prior',
        ),
        ...fall.steps.map((step) =>
          row(
            h(
              'span',
              {},
              signalLabel(step.evidence.signal),
              step.evidence.level ? h('span', { class: 'level' }, ` ${step.evidence.level}`) : null,
            ),
            formatBits(step.evidence.weight),
            bar(step.from, step.to, step.evidence.weight >= 0 ? 'positive' : 'negative'),
            formatBits(step.to),
            evidenceText(step.evidence),
            `waterfall-step signal-${step.evidence.signal}`,
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        row(
          'Total',
          '',
          bar(0, fall.total, 'total'),
          formatBits(fall.total),
          `probability ${scoreText(match.score)}`,
          'waterfall-total',
        ),
      ),
    ),
  );
}
