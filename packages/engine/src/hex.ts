/**
 * Hex digits of unsigned integers, as `Number.prototype.toString(16)` writes them. Blocking keys
 * carry hashes in hex, tens of them per event, and V8's radix conversion costs about 350 ns a
 * number; a table of byte digits costs about 45. The keys are stored in the indexes, so the
 * output must stay exactly that of `toString(16)` (the tests compare the two).
 */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** `value.toString(16)` for an unsigned 32-bit integer: no leading zeros. */
export function hex32(value: number): string {
  const padded = hex32Padded(value);
  let start = 0;
  while (start < 7 && padded.charCodeAt(start) === 0x30) start += 1;
  return start === 0 ? padded : padded.slice(start);
}

/** An unsigned 32-bit integer as 8 hex digits. */
export function hex32Padded(value: number): string {
  return (
    (BYTE_HEX[value >>> 24] as string) +
    (BYTE_HEX[(value >>> 16) & 0xff] as string) +
    (BYTE_HEX[(value >>> 8) & 0xff] as string) +
    (BYTE_HEX[value & 0xff] as string)
  );
}

/** An unsigned 16-bit integer as 4 hex digits. */
export function hex16Padded(value: number): string {
  return (BYTE_HEX[(value >>> 8) & 0xff] as string) + (BYTE_HEX[value & 0xff] as string);
}
