export {
  defaultPomPath,
  type EnsureKafkaJarsOptions,
  ensureKafkaJars,
  type KafkaJars,
  readKafkaVersion,
} from './jars.js';
export {
  checkKafkaBrokers,
  generateClusterId,
  KAFKA_STARTED_MESSAGE,
  type KafkaHandle,
  type KafkaServerConfig,
  renderLog4jProperties,
  renderServerProperties,
  type StartKafkaOptions,
  startKafka,
} from './kafka.js';
export { type StackLogger, stderrLogger } from './log.js';
export { canConnect, parseHostPort, pickFreePort, pickFreePorts } from './ports.js';
export { isProcessAlive } from './process.js';
export {
  type EnsureRedisOptions,
  ensureRedis,
  pingRedis,
  pingRedisTarget,
  type RedisHandle,
  redactRedisUrl,
} from './redis.js';
export {
  clusterInfo,
  type RedisClusterHandle,
  type StartRedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js';
export { findRepoRoot } from './root.js';
export { type RunningStack, type StartStackOptions, stackOptionsFromEnv, startStack } from './stack.js';
