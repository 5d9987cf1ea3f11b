import { dct64To16 } from './dct.js';
import { decimate, jaroszFilter, jaroszWindowSize } from './jarosz.js';

export interface PdqResult {
  /** 256 bits as 64 lower-case hex digits, in the reference's word order. */
  hash: string;
  /** 0–100: how much detail the image has; below ~50 hashes are unreliable (flat or tiny images). */
  quality: number;
}

/** Luma as PDQ defines it (ITU-R BT.601 weights), from interleaved 8-bit channels. */
export function lumaFromPixels(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
): Float32Array {
  const luma = new Float32Array(width * height);
  if (channels < 3) {
    for (let p = 0; p < luma.length; p += 1) luma[p] = pixels[p * channels] ?? 0;
    return luma;
  }
  for (let p = 0, q = 0; p < luma.length; p += 1, q += channels) {
    luma[p] = 0.299 * (pixels[q] ?? 0) + 0.587 * (pixels[q + 1] ?? 0) + 0.114 * (pixels[q + 2] ?? 0);
  }
  return luma;
}

/** Gradient-sum quality metric on the 64 × 64 block, integer arithmetic as in the reference. */
export function qualityOf(block: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < 63; i += 1) {
    for (let j = 0; j < 64; j += 1) {
      sum += Math.abs(Math.trunc((((block[i * 64 + j] ?? 0) - (block[(i + 1) * 64 + j] ?? 0)) * 100) / 255));
    }
  }
  for (let i = 0; i < 64; i += 1) {
    for (let j = 0; j < 63; j += 1) {
      sum += Math.abs(Math.trunc((((block[i * 64 + j] ?? 0) - (block[i * 64 + j + 1] ?? 0)) * 100) / 255));
    }
  }
  return Math.min(100, Math.trunc(sum / 90));
}

/** Lower median (the reference's Torben median picks the lower of the two middles). */
function lowerMedian(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[(sorted.length - 1) >> 1] ?? 0;
}

/**
 * PDQ of a luma image (rows × cols, row-major; the buffer is filtered in place). Bit k of the
 * hash is coefficient k of the 16 × 16 block being above the median; word i holds row i and is
 * printed from word 15 down to word 0, as the reference prints it.
 */
export function pdqFromLuma(luma: Float32Array, width: number, height: number): PdqResult {
  const scratch = new Float32Array(luma.length);
  jaroszFilter(luma, scratch, height, width, jaroszWindowSize(width, 64), jaroszWindowSize(height, 64));
  const block = decimate(luma, height, width, 64);
  const quality = qualityOf(block);
  const coefficients = dct64To16(block);
  const median = lowerMedian(coefficients);
  let hash = '';
  for (let word = 15; word >= 0; word -= 1) {
    let value = 0;
    for (let bit = 0; bit < 16; bit += 1) {
      if ((coefficients[word * 16 + bit] ?? 0) > median) value |= 1 << bit;
    }
    hash += value.toString(16).padStart(4, '0');
  }
  return { hash, quality };
}

export function pdqFromPixels(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
): PdqResult {
  return pdqFromLuma(lumaFromPixels(pixels, width, height, channels), width, height);
}
