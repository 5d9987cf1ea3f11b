export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { REDACT_CENSOR, REDACT_PATHS } from './redaction.js';
