export { DEFAULT_MODEL_PATH, defaultModel } from './default-model.js';
export {
  type AccountFingerprint,
  accountKey,
  type BannedFingerprint,
  fingerprintEvent,
} from './fingerprint.js';
export { bruteForceCandidates } from './index/brute-force.js';
export {
  type Candidate,
  type CandidateIndex,
  type CandidateQueryOptions,
  DEFAULT_CANDIDATE_LIMIT,
  DEFAULT_MAX_BUCKET_SIZE,
  rankCandidates,
} from './index/candidate-index.js';
export { MemoryIndex, type MemoryIndexOptions } from './index/memory-index.js';
export { type MatchOptions, type MatchResult, matchAccount, scoreCandidates } from './match.js';
export { PdqError, pdqFromImage } from './pdq/decode.js';
export { hammingDistance, isPdqHex, pdqWords } from './pdq/hamming.js';
export { lumaFromPixels, type PdqResult, pdqFromLuma, pdqFromPixels } from './pdq/hash.js';
export { bruteForceQuery, GUARANTEED_RADIUS, MultiIndexHash, segmentKeys } from './pdq/mih.js';
export { comparePair, comparisonLevels, type PairComparison } from './scoring/compare.js';
export { CountingFrequencies, NO_FREQUENCIES, type TermFrequencies } from './scoring/frequencies.js';
export { LevelParameters, parseModel, ScoringModel } from './scoring/model.js';
export { createScorer, type Evidence, type PairScore, type Scorer } from './scoring/score.js';
export {
  comparePlatform,
  compareTiming,
  PLATFORM_LEVELS,
  RECENT_WINDOW_MS,
  TIMING_LEVELS,
} from './scoring/timing.js';
export {
  type BuildModelInput,
  buildModel,
  type ComparisonParameters,
  type ComparisonVector,
  estimateByEm,
  estimateFromLabels,
  fitCalibration,
  type LabelledPair,
  type RefineInput,
  rawWeight,
  refineWithLabels,
} from './scoring/train.js';
export { type AvatarFingerprint, avatarSignal, PDQ_MATCH_THRESHOLD } from './signals/avatar.js';
export { type BioFingerprint, bioSignal } from './signals/bio.js';
export { type CanonicalLink, canonicalLink } from './signals/canonical-link.js';
export { createDefaultRegistry } from './signals/default-registry.js';
export { type FolloweesFingerprint, followeesSignal, followeesSignature } from './signals/followees.js';
export { displayNameSignal, handleSignal, type NameFingerprint } from './signals/handle.js';
export { deviceSignal, emailSignal, ipPrefixSignal, phoneSignal } from './signals/identifiers.js';
export { type LinksFingerprint, linksSignal } from './signals/links.js';
export {
  createRegistry,
  RegistryError,
  type SignalFingerprints,
  type SignalRegistry,
} from './signals/registry.js';
export {
  decodeSetSignature,
  encodeSetSignature,
  type SetSignature,
  SetSignatureError,
} from './signals/set-similarity.js';
export {
  type AccountInput,
  type AnySignal,
  type Comparison,
  SIGNAL_NAMES,
  type SignalName,
  type SignalType,
} from './signals/signal.js';
export { type HandleForms, handleForms } from './text/handle.js';
export {
  charNgrams,
  exactJaccard,
  lshBands,
  lshCandidateProbability,
  MinHasher,
  wordShingles,
} from './text/minhash.js';
export { findSuspiciousCharacters, foldText, skeleton, type TextFinding } from './text/normalize.js';
export { jaroWinkler, osaDistance, osaSimilarity } from './text/similarity.js';
