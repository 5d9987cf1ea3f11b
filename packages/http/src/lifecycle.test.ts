import { EventEmitter } from 'node:events';
import { createLogger } from '@mirrorwatch/logger';
import { describe, expect, it, vi } from 'vitest';
import { closeOnSignals } from './lifecycle.js';

const logger = createLogger({ name: 'test', level: 'silent' });

function setup(close: () => Promise<void>, timeoutMs = 1000) {
  const signals = new EventEmitter() as unknown as NodeJS.Process;
  const exit = vi.fn<(code: number) => void>();
  closeOnSignals({ close }, { logger, timeoutMs, signals, exit });
  return { signals, exit };
}

describe('closeOnSignals', () => {
  it('closes gracefully on SIGTERM and exits 0', async () => {
    const close = vi.fn(async () => undefined);
    const { signals, exit } = setup(close);
    signals.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(close).toHaveBeenCalledOnce();
  });

  it('exits 1 when closing takes longer than the timeout', async () => {
    vi.useFakeTimers();
    try {
      const { signals, exit } = setup(() => new Promise(() => undefined), 5000);
      signals.emit('SIGINT', 'SIGINT');
      vi.advanceTimersByTime(4999);
      expect(exit).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('exits at once on a second signal, and 1 when closing fails', async () => {
    const hanging = setup(() => new Promise(() => undefined));
    hanging.signals.emit('SIGINT', 'SIGINT');
    hanging.signals.emit('SIGINT', 'SIGINT');
    expect(hanging.exit).toHaveBeenCalledWith(1);

    const failing = setup(async () => {
      throw new Error('broker gone');
    });
    failing.signals.emit('SIGTERM', 'SIGTERM');
    await vi.waitFor(() => expect(failing.exit).toHaveBeenCalledWith(1));
  });
});
