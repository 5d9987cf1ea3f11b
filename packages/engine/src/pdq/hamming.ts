/** A PDQ hash as 16 words of 16 bits; word i is hex digits [60 − 4i, 64 − 4i). */
export type PdqWords = Uint16Array;

export function isPdqHex(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}

export function pdqWords(hex: string): PdqWords {
  if (!isPdqHex(hex)) throw new TypeError('a PDQ hash is 64 hexadecimal characters');
  const words = new Uint16Array(16);
  for (let i = 0; i < 16; i += 1) words[15 - i] = Number.parseInt(hex.slice(4 * i, 4 * i + 4), 16);
  return words;
}

function popcount16(value: number): number {
  let v = value - ((value >>> 1) & 0x5555);
  v = (v & 0x3333) + ((v >>> 2) & 0x3333);
  v = (v + (v >>> 4)) & 0x0f0f;
  return (v + (v >>> 8)) & 0x1f;
}

export function hammingWords(a: PdqWords, b: PdqWords): number {
  let distance = 0;
  for (let i = 0; i < 16; i += 1) distance += popcount16((a[i] ?? 0) ^ (b[i] ?? 0));
  return distance;
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit += 1) {
  NIBBLE[digit.toString(16).charCodeAt(0)] = digit;
  NIBBLE[digit.toString(16).toUpperCase().charCodeAt(0)] = digit;
}
const POPCOUNT4 = Uint8Array.from({ length: 16 }, (_, value) => popcount16(value));

/** Distance between two hex hashes, digit by digit, without parsing them into words. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== 64 || b.length !== 64) throw new TypeError('a PDQ hash is 64 hexadecimal characters');
  let distance = 0;
  for (let i = 0; i < 64; i += 1) {
    const x = NIBBLE[a.charCodeAt(i)] ?? -1;
    const y = NIBBLE[b.charCodeAt(i)] ?? -1;
    if (x < 0 || y < 0) throw new TypeError('a PDQ hash is 64 hexadecimal characters');
    distance += POPCOUNT4[x ^ y] ?? 0;
  }
  return distance;
}
