import { describe, expect, it } from 'vitest';
import { hex16Padded, hex32, hex32Padded } from './hex.js';

describe('hex', () => {
  const edges = [
    0, 1, 0xf, 0x10, 0xff, 0x100, 0xfff, 0x1000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
  ];
  const spread = Array.from({ length: 5000 }, (_, n) => Math.imul(n + 1, 0x9e3779b1) >>> (n % 29));

  it('writes a 32-bit value exactly as toString(16) does', () => {
    for (const value of [...edges, ...spread.map((value) => value >>> 0)]) {
      expect(hex32(value)).toBe(value.toString(16));
      expect(hex32Padded(value)).toBe(value.toString(16).padStart(8, '0'));
    }
  });

  it('writes a 16-bit value as four digits', () => {
    for (const value of [0, 1, 0xab, 0x100, 0xbeef, 0xffff])
      expect(hex16Padded(value)).toBe(value.toString(16).padStart(4, '0'));
  });
});
