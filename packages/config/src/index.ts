export {
  commonEnv,
  DEV_ADMIN_TOKEN,
  DEV_IDENTIFIER_PEPPER,
  DEV_WEBHOOK_SECRET,
  Mode,
  port,
  refuseDevCredentials,
} from './fragments.js';
export { ConfigError, loadConfig } from './load.js';
export { SERVICE_NODE_FLAGS, type ServiceName, serviceSourceArgs } from './node-flags.js';
