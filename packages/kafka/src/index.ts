export { createKafkaClient, type Kafka, type KafkaClientOptions } from './client.js';
export {
  type BatchContext,
  type BatchHandler,
  type ConsumerOptions,
  createConsumer,
  type HandlerFailure,
  type ReceivedMessage,
  type TypedConsumer,
} from './consumer.js';
export { type Decoded, decodeMessage } from './decode.js';
export {
  createProducer,
  type OutgoingMessage,
  type ProducerOptions,
  type TypedProducer,
} from './producer.js';
export {
  catalogueTopics,
  ensureTopics,
  groupLag,
  type PartitionCounts,
  pingKafka,
  type TopicSpec,
} from './topics.js';
