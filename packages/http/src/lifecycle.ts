import type { Logger } from '@mirrorwatch/logger';

export interface ServiceHandle {
  /** Stops taking work, finishes what is in flight, flushes and closes connections. */
  close(): Promise<void>;
}

export interface RunOptions {
  logger: Logger;
  timeoutMs: number;
  /** Process-level hooks; injectable so the policy can be tested without killing the test runner. */
  signals?: NodeJS.Process;
  exit?: (code: number) => void;
}

/**
 * Installs the shutdown policy every service shares: on SIGTERM or SIGINT, close gracefully; if
 * that takes longer than `timeoutMs`, or a second signal arrives, exit anyway.
 */
export function closeOnSignals(service: ServiceHandle, options: RunOptions): void {
  const { logger, timeoutMs, signals = process, exit = (code) => process.exit(code) } = options;
  let closing = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    closing = true;
    logger.info({ signal, timeoutMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out: exiting');
      exit(1);
    }, timeoutMs);
    timer.unref();
    service.close().then(
      () => {
        clearTimeout(timer);
        logger.info('shut down cleanly');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };

  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);
}
