export { reportEventId, toAccountEventMessage, toReportedAccountMessage } from './account-event.js';
export { networkPrefix, normalizeDeviceId, normalizeEmail, normalizePhone } from './normalize.js';
export {
  createPseudonymizer,
  type HashedIdentifiers,
  type IdentifierKind,
  type Pseudonymizer,
  type PseudonymizerOptions,
  type RawIdentifiers,
} from './pseudonymize.js';
