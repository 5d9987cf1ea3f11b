export { type ErrorBody, errorHandler, type FieldProblem } from './error-handler.js';
export { Errors, type InvalidField, invalidFields, RETRIABLE_CODES } from './errors.js';
export { type HealthOptions, health, type ReadinessCheck } from './health.js';
export { closeOnSignals, type RunOptions, type ServiceHandle } from './lifecycle.js';
export { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.js';
