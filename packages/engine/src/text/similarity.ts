/** Match flags reused across calls (this runs for every candidate pair): a's flags, then b's. */
let flags = new Uint8Array(64);

/** Jaro–Winkler similarity (0–1), favouring strings that share a prefix. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const lengthA = a.length;
  const lengthB = b.length;
  if (lengthA === 0 || lengthB === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(lengthA, lengthB) / 2) - 1);
  if (flags.length < lengthA + lengthB) flags = new Uint8Array(2 * (lengthA + lengthB));
  flags.fill(0, 0, lengthA + lengthB);
  let matches = 0;
  for (let i = 0; i < lengthA; i += 1) {
    const from = Math.max(0, i - window);
    const to = Math.min(i + window + 1, lengthB);
    for (let j = from; j < to; j += 1) {
      if (flags[lengthA + j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      flags[i] = 1;
      flags[lengthA + j] = 1;
      matches += 1;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < lengthA; i += 1) {
    if (!flags[i]) continue;
    while (!flags[lengthA + j]) j += 1;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) transpositions += 1;
    j += 1;
  }
  const jaro = (matches / lengthA + matches / lengthB + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < lengthA && prefix < lengthB && a.charCodeAt(prefix) === b.charCodeAt(prefix))
    prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

let scratch = new Uint16Array(0);

/** Optimal-string-alignment distance: edits, with a swap of neighbours counting as one. */
export function osaDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  // One buffer reused across calls: this runs for most candidate pairs.
  if (scratch.length < rows * cols) scratch = new Uint16Array(rows * cols * 2);
  const d = scratch;
  for (let i = 0; i < rows; i += 1) d[i * cols] = i;
  for (let j = 0; j < cols; j += 1) d[j] = j;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(
        (d[(i - 1) * cols + j] ?? 0) + 1,
        (d[i * cols + j - 1] ?? 0) + 1,
        (d[(i - 1) * cols + j - 1] ?? 0) + cost,
      );
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        best = Math.min(best, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

/** 1 − distance / longer length. */
export function osaSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - osaDistance(a, b) / longer;
}
