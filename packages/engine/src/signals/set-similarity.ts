import { lshBands } from '../text/minhash.js';
import type { AccountInput, Comparison, SignalName, SignalType } from './signal.js';

/** A MinHash signature: slot i of two signatures agrees with probability equal to the sets' Jaccard index. */
export type SetSignature = number[];

/** A signature as base64 of its slots, little-endian unsigned 32-bit: compact and cheap to parse. */
export function encodeSetSignature(signature: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(4 * signature.length);
  for (const [index, slot] of signature.entries()) bytes.writeUInt32LE(slot >>> 0, 4 * index);
  return bytes.toString('base64');
}

export class SetSignatureError extends Error {
  override readonly name = 'SetSignatureError';
}

/** The slots of an encoded signature; throws unless it holds exactly `slots` of them. */
export function decodeSetSignature(text: string, slots: number): SetSignature {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== 4 * slots || bytes.toString('base64') !== text)
    throw new SetSignatureError(`a signature of ${slots} slots is ${4 * slots} bytes of base64`);
  const signature = new Array<number>(slots);
  for (let index = 0; index < slots; index += 1) signature[index] = bytes.readUInt32LE(4 * index);
  return signature;
}

/** Share of equal slots: an unbiased estimate of the sets' Jaccard index. */
export function estimateJaccard(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  if (length === 0) return 0;
  let equal = 0;
  for (let index = 0; index < length; index += 1) if (a[index] === b[index]) equal += 1;
  return equal / length;
}

export interface SetSignalSpec {
  name: SignalName;
  /** Turns the account's field into a signature, or undefined when it has nothing to compare. */
  signature(account: AccountInput): SetSignature | undefined;
  /** Lower bounds of the Jaccard estimate for each level, strongest first; below all: `none`. */
  levels: ReadonlyArray<readonly [string, number]>;
  /** LSH banding of the signature's first `bands × rows` slots, for blocking. */
  bands: number;
  rows: number;
  /** What is compared, for moderators: "bio wording", "follows". */
  noun: string;
}

/**
 * A signal over a set (bio shingles, followed accounts): MinHash signature as fingerprint, LSH bands
 * as blocking keys, levels by the estimated Jaccard index.
 */
export function setSimilaritySignal(spec: SetSignalSpec): SignalType<SetSignature> {
  const level = (jaccard: number): Comparison => {
    const found = spec.levels.find(([, lower]) => jaccard >= lower);
    return {
      level: found ? found[0] : 'none',
      detail: `${spec.noun} overlap ≈ ${Math.round(100 * jaccard)}%`,
    };
  };
  return {
    name: spec.name,
    levels: [...spec.levels.map(([name]) => name), 'none'],
    fingerprint: spec.signature,
    blockingKeys: (signature) => lshBands(signature, spec.bands, spec.rows),
    compare: (a, b) => level(estimateJaccard(a, b)),
    referenceCompare(a, b) {
      // Slot by slot with no shortcut: the obviously-correct estimate.
      const agreeing = a.filter((value, index) => value === b[index]).length;
      return level(a.length === 0 ? 0 : agreeing / a.length);
    },
  };
}
