export { closeRedis, createRedisClient, pingRedis, type Redis, type RedisClientOptions } from './client.js';
