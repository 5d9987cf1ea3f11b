export {
  type Cluster,
  closeRedis,
  createRedisClient,
  isCluster,
  pingRedis,
  type Redis,
  type RedisClientOptions,
} from './client.js';
export { pipelined, RedisPipelineError } from './pipelined.js';
export { scanKeys } from './scan.js';
export { parseRedisUrl, REDIS_URL_FORMS, type RedisTarget, RedisUrlError } from './url.js';
