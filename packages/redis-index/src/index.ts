export { RedisPipelineError } from '@mirrorwatch/redis';
export { CorruptRecordError } from './record.js';
export { type IndexItem, RedisCandidateIndex, type RedisIndexOptions } from './redis-candidate-index.js';
export { RedisTermFrequencies, type RedisTermFrequenciesOptions } from './term-frequencies.js';
