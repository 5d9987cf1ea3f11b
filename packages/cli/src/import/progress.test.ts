import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds } from './progress.js';

function clock() {
  let at = 0;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('import progress', () => {
  it('writes a plain line per 10% when not on a terminal, with rate and ETA', () => {
    const lines: string[] = [];
    const time = clock();
    const progress = createProgress({
      total: 1000,
      alreadyDone: 0,
      write: (text) => lines.push(text),
      tty: false,
      now: time.now,
    });
    for (let done = 50; done <= 1000; done += 50) {
      time.advance(100);
      progress.update(done);
    }
    progress.finish(1000);
    expect(lines).toHaveLength(10);
    expect(lines.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(lines[0]).toBe('import: 100/1,000 rows (10%) · 500 rows/s · ETA 2s\n');
    expect(lines[9]).toMatch(/^import: 1,000\/1,000 rows \(100%\)/);
  });

  it('writes a plain line at least every 5 s when the import is slow', () => {
    const lines: string[] = [];
    const time = clock();
    const progress = createProgress({
      total: 1000,
      alreadyDone: 0,
      write: (t) => lines.push(t),
      tty: false,
      now: time.now,
    });
    time.advance(6000);
    progress.update(1);
    time.advance(1000);
    progress.update(2);
    time.advance(5000);
    progress.update(3);
    expect(lines.map((line) => line.split(' rows')[0])).toEqual(['import: 1/1,000', 'import: 3/1,000']);
  });

  it('redraws one line in place on a terminal, throttled, and ends it at the finish', () => {
    const writes: string[] = [];
    const time = clock();
    const progress = createProgress({
      total: 200,
      alreadyDone: 100,
      write: (text) => writes.push(text),
      tty: true,
      now: time.now,
    });
    time.advance(1000);
    progress.update(150);
    time.advance(10);
    progress.update(151);
    time.advance(1000);
    progress.finish(200);
    expect(writes).toHaveLength(2);
    expect(writes[0]).toBe(
      `\r\u001b[2K[${'█'.repeat(18)}${'░'.repeat(6)}] 150/200 rows (75%) · 50 rows/s · ETA 1s`,
    );
    expect(writes[1]?.endsWith('\n')).toBe(true);
  });

  it('formats durations', () => {
    expect([5, 75, 3725].map(formatSeconds)).toEqual(['5s', '1m15s', '1h02m']);
  });
});
