import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { processRequest } from '../../../src/modbus/pdu/handle-request.js';
import { pdu } from '../../support/pdu.js';

interface IdObject {
  id: number;
  value: string;
}

function parse(res: Uint8Array): { code: number; conformity: number; more: number; next: number; objects: IdObject[] } {
  const objects: IdObject[] = [];
  let cursor = 7;
  for (let i = 0; i < res[6]; i += 1) {
    const len = res[cursor + 1];
    objects.push({ id: res[cursor], value: Buffer.from(res.subarray(cursor + 2, cursor + 2 + len)).toString('latin1') });
    cursor += 2 + len;
  }
  expect(cursor).toBe(res.length);
  expect(res[0]).toBe(0x2b);
  expect(res[1]).toBe(0x0e);
  return { code: res[2], conformity: res[3], more: res[4], next: res[5], objects };
}

const objects = new Map<number, string>([
  [0x00, 'Acme'],
  [0x01, 'SM-3'],
  [0x02, 'v2.1'],
  [0x03, 'https://acme.example'],
  [0x04, 'Submeter'],
  [0x05, 'SM-3 Pro'],
  [0x06, 'submeter'],
  [0x80, 'serial 123456'],
]);

describe('FC43/14 read device identification', () => {
  const d = new MemoryDevice({ identification: objects });

  it('basic stream returns objects 0..2 with conformity 0x83 (extended + individual)', () => {
    const r = parse(processRequest(d, pdu(0x2b, 0x0e, 0x01, 0x00)));
    expect(r.code).toBe(1);
    expect(r.conformity).toBe(0x83);
    expect(r.more).toBe(0);
    expect(r.objects).toEqual([
      { id: 0, value: 'Acme' },
      { id: 1, value: 'SM-3' },
      { id: 2, value: 'v2.1' },
    ]);
  });

  it('regular stream returns 0..6, extended adds 0x80', () => {
    expect(parse(processRequest(d, pdu(0x2b, 0x0e, 0x02, 0x00))).objects.map((o) => o.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(parse(processRequest(d, pdu(0x2b, 0x0e, 0x03, 0x00))).objects.map((o) => o.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 0x80]);
  });

  it('stream access starts at the requested object and restarts at 0 for an unknown one', () => {
    expect(parse(processRequest(d, pdu(0x2b, 0x0e, 0x02, 0x04))).objects.map((o) => o.id)).toEqual([4, 5, 6]);
    expect(parse(processRequest(d, pdu(0x2b, 0x0e, 0x01, 0x05))).objects.map((o) => o.id)).toEqual([0, 1, 2]);
    expect(parse(processRequest(d, pdu(0x2b, 0x0e, 0x03, 0x40))).objects.map((o) => o.id)[0]).toBe(0);
  });

  it('individual access returns one object, 02 when absent', () => {
    const r = parse(processRequest(d, pdu(0x2b, 0x0e, 0x04, 0x80)));
    expect(r.objects).toEqual([{ id: 0x80, value: 'serial 123456' }]);
    expect([...processRequest(d, pdu(0x2b, 0x0e, 0x04, 0x81))]).toEqual([0xab, 0x02]);
  });

  it('splits with "more follows" when the objects do not fit in one PDU', () => {
    const big = new Map<number, string>([[0x00, 'V'], [0x01, 'P'], [0x02, 'R']]);
    for (let id = 0x80; id < 0x85; id += 1) big.set(id, String.fromCharCode(65 + id - 0x80).repeat(100));
    const dev = new MemoryDevice({ identification: big });
    const seen: number[] = [];
    let next = 0;
    for (let round = 0; round < 5; round += 1) {
      const res = processRequest(dev, pdu(0x2b, 0x0e, 0x03, next));
      expect(res.length).toBeLessThanOrEqual(253);
      const r = parse(res);
      seen.push(...r.objects.map((o) => o.id));
      if (r.more === 0) break;
      expect(r.more).toBe(0xff);
      next = r.next;
    }
    expect(seen).toEqual([0, 1, 2, 0x80, 0x81, 0x82, 0x83, 0x84]);
  });

  it('conformity is 0x81 for a basic-only device', () => {
    const dev = new MemoryDevice({ identification: new Map([[0, 'a'], [1, 'b'], [2, 'c']]) });
    expect(parse(processRequest(dev, pdu(0x2b, 0x0e, 0x01, 0x00))).conformity).toBe(0x81);
  });

  it('read device id code outside 1..4 is 03, other MEI types 01, wrong length 03', () => {
    expect([...processRequest(d, pdu(0x2b, 0x0e, 0x00, 0x00))]).toEqual([0xab, 0x03]);
    expect([...processRequest(d, pdu(0x2b, 0x0e, 0x05, 0x00))]).toEqual([0xab, 0x03]);
    expect([...processRequest(d, pdu(0x2b, 0x0d, 0x01, 0x00))]).toEqual([0xab, 0x01]);
    expect([...processRequest(d, pdu(0x2b, 0x0e, 0x01))]).toEqual([0xab, 0x03]);
    expect([...processRequest(d, pdu(0x2b))]).toEqual([0xab, 0x03]);
  });
});
