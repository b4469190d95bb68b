import { describe, expect, it } from 'vitest';
import { loadRegisterMap } from '../../../../src/registers/profiles.js';
import { decodeBlock, planReads } from '../../../../src/runtime/read/read-plan.js';

describe('read plan', () => {
  it('groups contiguous registers into requests of at most 125 and decodes them back to SI', () => {
    const map = loadRegisterMap('sdm630');
    const blocks = planReads(map, 'volts');
    const first = blocks[0];
    expect(first).toMatchObject({ space: 'input', address: 0, quantity: 6 });
    for (const block of planReads(map)) expect(block.quantity).toBeLessThanOrEqual(125);
    const bytes = Buffer.alloc(12);
    [230.5, 231.25, 229.75].forEach((v, i) => bytes.writeFloatBE(v, i * 4));
    expect(first === undefined ? [] : decodeBlock(first, bytes).map((v) => [v.quantity, v.value, v.unit])).toEqual([
      ['voltage.l1', 230.5, 'V'],
      ['voltage.l2', 231.25, 'V'],
      ['voltage.l3', 229.75, 'V'],
    ]);
  });

  it('undoes scale and word order (em24: int32 low word first, 0.1 V)', () => {
    const map = loadRegisterMap('em24');
    const block = planReads(map, 'V L1-N')[0];
    expect(block).toBeDefined();
    if (block === undefined) return;
    const bytes = Buffer.alloc(block.quantity * 2);
    bytes.writeUInt16BE(2305, 0); // low word
    bytes.writeUInt16BE(0, 2); // high word
    expect(decodeBlock(block, bytes)[0]).toMatchObject({ value: 230.5, unit: 'V', raw: 2305 });
  });
});
