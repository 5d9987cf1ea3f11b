/**
 * The 16 lowest non-constant frequencies of a 64 × 64 block, by matrix products with a partial
 * DCT-II basis. Row 0 (the constant term) is skipped: overall brightness is not content.
 */
const SIZE = 64;
const KEPT = 16;

export const DCT_MATRIX: Float64Array = (() => {
  const matrix = new Float64Array(KEPT * SIZE);
  const scale = Math.sqrt(2 / SIZE);
  for (let i = 0; i < KEPT; i += 1) {
    for (let j = 0; j < SIZE; j += 1) {
      matrix[i * SIZE + j] = scale * Math.cos((Math.PI / 2 / SIZE) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();

/** D · A · Dᵀ for A 64 × 64, giving 16 × 16 coefficients (row-major). */
export function dct64To16(block: Float64Array): Float64Array {
  const partial = new Float64Array(KEPT * SIZE);
  for (let i = 0; i < KEPT; i += 1) {
    for (let j = 0; j < SIZE; j += 1) {
      let sum = 0;
      for (let k = 0; k < SIZE; k += 1) sum += (DCT_MATRIX[i * SIZE + k] ?? 0) * (block[k * SIZE + j] ?? 0);
      partial[i * SIZE + j] = sum;
    }
  }
  const out = new Float64Array(KEPT * KEPT);
  for (let i = 0; i < KEPT; i += 1) {
    for (let j = 0; j < KEPT; j += 1) {
      let sum = 0;
      for (let k = 0; k < SIZE; k += 1) sum += (partial[i * SIZE + k] ?? 0) * (DCT_MATRIX[j * SIZE + k] ?? 0);
      out[i * KEPT + j] = sum;
    }
  }
  return out;
}
