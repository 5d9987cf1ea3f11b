/**
 * Many short strings in one script argument. ioredis spends far more on each argument than on
 * its bytes, so a script that takes hundreds of bucket names or fields per call gets them
 * packed: each as `<byte length> <bytes>`, one after another, read back in Lua by `nextPacked`.
 * The length makes any byte (space, newline, multi-byte characters) safe inside a value.
 */

/** `value` as one packed item. */
export function packed(value: string): string {
  return `${Buffer.byteLength(value)} ${value}`;
}

/**
 * Joins packed items into the argument. A Buffer, so that ioredis encodes this command on its
 * own instead of joining every string command of the pipeline into one long string first (slow
 * to encode), and a joined array rather than a growing string (slow to flatten).
 */
export function packedArgument(items: readonly string[]): Buffer {
  return Buffer.from(items.join(''));
}

/**
 * Lua: `nextPacked(packed, at)` returns the item that starts at byte `at` and the position of the
 * next one, or raises a script error naming the byte where the argument is malformed.
 */
export const NEXT_PACKED_LUA = `
local function nextPacked(packed, at)
  local length, start = string.match(packed, '^(%d+) ()', at)
  local stop = length and start + tonumber(length)
  if not stop or stop - 1 > #packed then error('malformed packed argument at byte ' .. at) end
  return string.sub(packed, start, stop - 1), stop
end`;
