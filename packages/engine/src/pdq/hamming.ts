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

export function hammingDistance(a: string, b: string): number {
  return hammingWords(pdqWords(a), pdqWords(b));
}
