/**
 * Many short strings in one script argument. ioredis spends far more on each argument than on
 * its bytes, so a script that takes hundreds of bucket names or fields per call gets them
 * packed: each item as its UTF-8 byte length in two bytes (big-endian), then its bytes, one
 * after another, read back in Lua by `nextPacked`. A binary length is the cheapest header for
 * Lua to read, and makes any byte (space, newline, multi-byte characters) safe inside an item.
 */

/** The longest item a packed argument can carry, in UTF-8 bytes. */
export const MAX_PACKED_ITEM_BYTES = 0xffff;

export class PackedItemTooLongError extends RangeError {
  override readonly name = 'PackedItemTooLongError';
}

/**
 * The items as one argument: a Buffer, so that ioredis encodes this command on its own instead
 * of joining every string command of the pipeline into one long string first (slow to encode).
 */
export function packedArgument(items: readonly string[]): Buffer {
  let bound = 0;
  for (const item of items) bound += 2 + 3 * item.length;
  const buffer = Buffer.allocUnsafe(bound);
  let at = 0;
  for (const item of items) {
    const start = at + 2;
    // Blocking keys and ids are nearly always ASCII: copied by hand, which costs far less than a
    // buffer.write call per item; anything else is encoded by Node.
    let length = item.length;
    for (let n = 0; n < item.length; n += 1) {
      const code = item.charCodeAt(n);
      if (code >= 0x80) {
        length = buffer.write(item, start, 'utf8');
        break;
      }
      buffer[start + n] = code;
    }
    if (length > MAX_PACKED_ITEM_BYTES)
      throw new PackedItemTooLongError(
        `cannot pack an item of ${length} bytes (at most ${MAX_PACKED_ITEM_BYTES}): ${item.slice(0, 40)}…`,
      );
    buffer[at] = length >> 8;
    buffer[at + 1] = length & 0xff;
    at = start + length;
  }
  return buffer.subarray(0, at);
}

/**
 * Lua helpers for scripts that take packed arguments (prepend to a script):
 * - `nextPacked(packed, at)`: the item that starts at byte `at` and the position of the next one,
 *   or a script error naming the byte where the argument is malformed;
 * - `allPacked(packed)`: every item, in order;
 * - `hmgetAll(hash, fields)`: HMGET of any number of fields, in parts of 1,000 so that `unpack`
 *   stays within Lua's stack limit; a missing field reads as false.
 */
export const PACKED_LUA = `
local function nextPacked(packed, at)
  local high, low = string.byte(packed, at, at + 1)
  local stop = low and at + 2 + high * 256 + low
  if not stop or stop - 1 > #packed then error('malformed packed argument at byte ' .. at) end
  return string.sub(packed, at + 2, stop - 1), stop
end
local function allPacked(packed)
  local items = {}
  local at = 1
  while at <= #packed do
    local item
    item, at = nextPacked(packed, at)
    items[#items + 1] = item
  end
  return items
end
local function hmgetAll(hash, fields)
  local values = {}
  for from = 1, #fields, 1000 do
    local to = math.min(from + 999, #fields)
    local part = redis.call('HMGET', hash, unpack(fields, from, to))
    for n = 1, to - from + 1 do values[from + n - 1] = part[n] end
  end
  return values
end`;
