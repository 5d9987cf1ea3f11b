import { describeCandidateIndexConformance } from './conformance.js';
import { MemoryIndex } from './memory-index.js';

describeCandidateIndexConformance(
  'MemoryIndex',
  async () => ({ index: new MemoryIndex({ maxBucketSize: 25 }), close: async () => undefined }),
  { maxBucketSize: 25 },
);
