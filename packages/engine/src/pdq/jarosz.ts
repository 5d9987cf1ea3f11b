/**
 * The Jarosz filter PDQ uses to downsample: repeated box blurs along rows then columns, after
 * which every 64th-ish pixel is a good average of its neighbourhood. Window sizes and the edge
 * handling (shrinking windows at both ends) follow the published algorithm exactly, because the
 * hash must agree with other implementations bit for bit on the same pixels.
 */

export const PDQ_JAROSZ_PASSES = 2;

/** ceil(oldDimension / (2 · newDimension)), as the reference computes it in integers. */
export function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

/** One box blur along a strided line of `length` samples, from `input` into `output`. */
function boxLine(
  input: Float32Array,
  output: Float32Array,
  start: number,
  length: number,
  stride: number,
  window: number,
): void {
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = length - window;
  const phase4 = half - 1;
  let left = start;
  let right = start;
  let out = start;
  let sum = 0;
  let size = 0;
  for (let i = 0; i < phase1; i += 1) {
    sum += input[right] ?? 0;
    size += 1;
    right += stride;
  }
  for (let i = 0; i < phase2; i += 1) {
    sum += input[right] ?? 0;
    size += 1;
    output[out] = sum / size;
    right += stride;
    out += stride;
  }
  for (let i = 0; i < phase3; i += 1) {
    sum += (input[right] ?? 0) - (input[left] ?? 0);
    output[out] = sum / size;
    left += stride;
    right += stride;
    out += stride;
  }
  for (let i = 0; i < phase4; i += 1) {
    sum -= input[left] ?? 0;
    size -= 1;
    output[out] = sum / size;
    left += stride;
    out += stride;
  }
}

/**
 * The same box blur down every column at once, walking rows in memory order: a column at a time
 * would stride a whole row per step and miss the cache on every sample. The arithmetic per column
 * is exactly `boxLine`'s, so results are identical.
 */
function boxColumns(
  input: Float32Array,
  output: Float32Array,
  rows: number,
  cols: number,
  window: number,
): void {
  const half = Math.floor((window + 2) / 2);
  const phase1 = half - 1;
  const phase2 = window - half + 1;
  const phase3 = rows - window;
  const phase4 = half - 1;
  const sums = new Float64Array(cols);
  let left = 0;
  let right = 0;
  let out = 0;
  let size = 0;
  for (let i = 0; i < phase1; i += 1, right += 1) {
    size += 1;
    for (let c = 0, r = right * cols; c < cols; c += 1) sums[c] = (sums[c] ?? 0) + (input[r + c] ?? 0);
  }
  for (let i = 0; i < phase2; i += 1, right += 1, out += 1) {
    size += 1;
    for (let c = 0, r = right * cols, o = out * cols; c < cols; c += 1) {
      const sum = (sums[c] ?? 0) + (input[r + c] ?? 0);
      sums[c] = sum;
      output[o + c] = sum / size;
    }
  }
  for (let i = 0; i < phase3; i += 1, left += 1, right += 1, out += 1) {
    for (let c = 0, r = right * cols, l = left * cols, o = out * cols; c < cols; c += 1) {
      const sum = (sums[c] ?? 0) + ((input[r + c] ?? 0) - (input[l + c] ?? 0));
      sums[c] = sum;
      output[o + c] = sum / size;
    }
  }
  for (let i = 0; i < phase4; i += 1, left += 1, out += 1) {
    size -= 1;
    for (let c = 0, l = left * cols, o = out * cols; c < cols; c += 1) {
      const sum = (sums[c] ?? 0) - (input[l + c] ?? 0);
      sums[c] = sum;
      output[o + c] = sum / size;
    }
  }
}

/** Filters `buffer` (rows × cols, row-major) in place, using `scratch` of the same size. */
export function jaroszFilter(
  buffer: Float32Array,
  scratch: Float32Array,
  rows: number,
  cols: number,
  windowAlongRows: number,
  windowAlongCols: number,
  passes = PDQ_JAROSZ_PASSES,
): void {
  for (let pass = 0; pass < passes; pass += 1) {
    for (let row = 0; row < rows; row += 1) boxLine(buffer, scratch, row * cols, cols, 1, windowAlongRows);
    boxColumns(scratch, buffer, rows, cols, windowAlongCols);
  }
}

/** Samples the filtered image at the centres of a 64 × 64 grid. */
export function decimate(buffer: Float32Array, rows: number, cols: number, size = 64): Float64Array {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i += 1) {
    const row = Math.floor(((i + 0.5) * rows) / size);
    for (let j = 0; j < size; j += 1) {
      const col = Math.floor(((j + 0.5) * cols) / size);
      out[i * size + j] = buffer[row * cols + col] ?? 0;
    }
  }
  return out;
}
