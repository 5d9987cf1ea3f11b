import { describe, expect, it } from 'vitest';
import { MAX_PACKED_ITEM_BYTES, PackedItemTooLongError, packedArgument } from './packed.js';

/** Reads a packed argument back the way the Lua reader does. */
function unpack(packed: Buffer): string[] {
  const items: string[] = [];
  let at = 0;
  while (at < packed.length) {
    const length = packed.readUInt16BE(at);
    items.push(packed.toString('utf8', at + 2, at + 2 + length));
    at += 2 + length;
  }
  return items;
}

describe('packedArgument', () => {
  it('writes each item after its UTF-8 byte length in two bytes', () => {
    expect([...packedArgument(['ab', ''])]).toEqual([0, 2, 97, 98, 0, 0]);
    const items = ['handle:c:قناة', '✨', 'a b\n12', 'x'.repeat(300), '😀'];
    const packed = packedArgument(items);
    expect(unpack(packed)).toEqual(items);
    expect(packed.length).toBe(items.reduce((sum, item) => sum + 2 + Buffer.byteLength(item), 0));
  });

  it('refuses an item too long for its length to fit in two bytes', () => {
    expect(unpack(packedArgument(['x'.repeat(MAX_PACKED_ITEM_BYTES)]))[0]).toHaveLength(
      MAX_PACKED_ITEM_BYTES,
    );
    expect(() => packedArgument(['é'.repeat(MAX_PACKED_ITEM_BYTES / 2 + 1)])).toThrow(PackedItemTooLongError);
  });
});
