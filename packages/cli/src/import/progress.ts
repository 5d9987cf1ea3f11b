/**
 * Import progress on stderr. On a terminal: one line redrawn in place (bar, rows done/total,
 * rows/s, ETA). Otherwise (CI logs, a file): a plain line each time another 10% is done, or
 * every 5 s, whichever comes first, so a log shows the import moving without drowning in it.
 */

export interface ProgressOptions {
  /** Rows to send in all, those done in earlier runs included. */
  total: number;
  /** Rows already done before this run (resumed). */
  alreadyDone: number;
  write: (text: string) => void;
  tty: boolean;
  now?: () => number;
  /** Terminal redraws at most this often. */
  redrawMs?: number;
  /** Plain lines at least this often. */
  plainEveryMs?: number;
}

export interface Progress {
  update(done: number): void;
  /** Final state; ends the terminal line. */
  finish(done: number): void;
}

const BAR_WIDTH = 24;

export function createProgress(options: ProgressOptions): Progress {
  const { total, alreadyDone, write, tty } = options;
  const now = options.now ?? Date.now;
  const redrawMs = options.redrawMs ?? 100;
  const plainEveryMs = options.plainEveryMs ?? 5000;
  const started = now();
  let lastDraw = -Infinity;
  let lastPlain = started;
  let lastDecile = Math.floor((10 * alreadyDone) / Math.max(total, 1));
  let drewTty = false;

  function describe(done: number): string {
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? (done - alreadyDone) / elapsed : 0;
    const left = total - done;
    const eta = rate > 0 ? `ETA ${formatSeconds(left / rate)}` : 'ETA –';
    const share = total === 0 ? 1 : done / total;
    return `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows (${Math.floor(100 * share)}%) · ${Math.round(rate).toLocaleString('en-US')} rows/s · ${eta}`;
  }

  function bar(done: number): string {
    const filled = total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * done) / total);
    return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
  }

  return {
    update(done) {
      const at = now();
      if (tty) {
        if (at - lastDraw < redrawMs) return;
        lastDraw = at;
        drewTty = true;
        write(`\r\x1b[2K${bar(done)} ${describe(done)}`);
        return;
      }
      const decile = Math.floor((10 * done) / Math.max(total, 1));
      if (decile > lastDecile || at - lastPlain >= plainEveryMs) {
        lastDecile = Math.max(decile, lastDecile);
        lastPlain = at;
        write(`import: ${describe(done)}\n`);
      }
    },
    finish(done) {
      if (tty) {
        if (drewTty || done > alreadyDone) write(`\r\x1b[2K${bar(done)} ${describe(done)}\n`);
        return;
      }
      if (done > alreadyDone && lastDecile < 10) write(`import: ${describe(done)}\n`);
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
