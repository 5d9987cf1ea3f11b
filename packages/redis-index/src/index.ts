export { RedisPipelineError } from '@mirrorwatch/redis';
export { type RecentWindowOptions, RedisRecentWindow } from './recent-window.js';
export { CorruptRecordError } from './record.js';
export { type IndexItem, RedisCandidateIndex, type RedisIndexOptions } from './redis-candidate-index.js';
export { RedisTermFrequencies, type RedisTermFrequenciesOptions } from './term-frequencies.js';
