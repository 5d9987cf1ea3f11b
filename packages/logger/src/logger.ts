import { type DestinationStream, type Logger, pino } from 'pino';
import { REDACT_CENSOR, REDACT_PATHS } from './redaction.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Service or component name, bound to every line. */
  name: string;
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was written. */
  destination?: DestinationStream;
}

/** JSON logs with PII redaction; services derive child loggers bound to their context. */
export function createLogger({ name, level = 'info', destination }: LoggerOptions): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: REDACT_CENSOR },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
