import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WORD_ORDERS, type RegisterType } from '../../../src/registers/map-schema.js';
import { decodeNumber, decodeText, encodeNumber, encodeText } from '../../../src/registers/value-codec.js';
import { wireValue } from '../../support/register-decoding.js';

function encode(type: RegisterType, order: (typeof WORD_ORDERS)[number], words: number, value: number): Uint8Array {
  const bytes = new Uint8Array(words * 2);
  encodeNumber(type, order, words, value, new DataView(bytes.buffer), bytes, 0);
  return bytes;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('value codec', () => {
  it('lays out a float32 in the four word orders', () => {
    // 230.5 = 0x43668000
    expect(hex(encode('f32', 'ABCD', 2, 230.5))).toBe('43668000');
    expect(hex(encode('f32', 'CDAB', 2, 230.5))).toBe('80004366');
    expect(hex(encode('f32', 'BADC', 2, 230.5))).toBe('66430080');
    expect(hex(encode('f32', 'DCBA', 2, 230.5))).toBe('00806643');
  });

  it('lays out 64-bit values with the words reversed for CDAB', () => {
    expect(hex(encode('u64', 'ABCD', 4, 0x0102030405))).toBe('0000000102030405');
    expect(hex(encode('u64', 'CDAB', 4, 0x0102030405))).toBe('0405020300010000');
  });

  it('rounds, clamps and wraps integers', () => {
    expect(hex(encode('u16', 'ABCD', 1, 1234.5))).toBe('04d3'); // Math.round(1234.5) = 1235
    expect(hex(encode('i16', 'ABCD', 1, -40000))).toBe('8000');
    expect(hex(encode('u16', 'ABCD', 1, -3))).toBe('0000');
    expect(hex(encode('u32', 'ABCD', 2, Number.NaN))).toBe('00000000');
    expect(hex(encode('acc32', 'ABCD', 2, 2 ** 32 + 7))).toBe('00000007');
    expect(hex(encode('i32', 'CDAB', 2, -2))).toBe('fffeffff');
  });

  it('round-trips every type and word order (independent decoder)', () => {
    const cases: Array<[RegisterType, number, fc.Arbitrary<number>]> = [
      ['u16', 1, fc.integer({ min: 0, max: 0xffff })],
      ['i16', 1, fc.integer({ min: -0x8000, max: 0x7fff })],
      ['u32', 2, fc.integer({ min: 0, max: 0xffffffff })],
      ['i32', 2, fc.integer({ min: -0x80000000, max: 0x7fffffff })],
      ['u64', 4, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })],
      ['i64', 4, fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })],
      ['f64', 4, fc.double({ noNaN: true })],
      ['f32', 2, fc.float({ noNaN: true }).map(Math.fround)],
    ];
    for (const [type, words, values] of cases) {
      for (const order of WORD_ORDERS) {
        fc.assert(
          fc.property(values, (value) => {
            const bytes = encode(type, order, words, value);
            expect(wireValue(type, bytes, order)).toBe(value);
            expect(decodeNumber(type, order, words, bytes, 0)).toBe(value);
          }),
          { numRuns: 200 },
        );
      }
    }
  });

  it('packs text two characters per register, NUL padded', () => {
    const bytes = new Uint8Array(8);
    encodeText('SunS', 'ABCD', 2, bytes, 0);
    expect(hex(bytes.subarray(0, 4))).toBe('53756e53');
    encodeText('abc', 'ABCD', 4, bytes, 0);
    expect(hex(bytes)).toBe('6162630000000000');
    expect(decodeText(bytes, 0, 4, 'ABCD')).toBe('abc');
    encodeText('abcdefghij', 'ABCD', 2, bytes, 0);
    expect(decodeText(bytes, 0, 2, 'ABCD')).toBe('abcd');
  });
});
