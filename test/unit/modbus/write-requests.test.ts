import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { processRequest } from '../../../src/modbus/pdu/handle-request.js';
import { pdu, readWords, word, words } from '../../support/pdu.js';

function device(): MemoryDevice {
  return new MemoryDevice({
    holdingRegisters: { start: 0, count: 400 },
    coils: { start: 100, count: 2000 },
  });
}

describe('FC05 write single coil', () => {
  it('switches a coil on with 0xFF00 and off with 0x0000, echoing the request', () => {
    const d = device();
    const on = pdu(0x05, ...word(173), 0xff, 0x00);
    expect([...processRequest(d, on)]).toEqual([...on]);
    expect(d.getCoil(173)).toBe(true);
    expect(d.getCoil(172)).toBe(false);
    const off = pdu(0x05, ...word(173), 0x00, 0x00);
    expect([...processRequest(d, off)]).toEqual([...off]);
    expect(d.getCoil(173)).toBe(false);
  });

  it('refuses any other value with 03 and leaves the coil alone', () => {
    const d = device();
    d.setCoil(150, true);
    for (const value of [0x0001, 0xff01, 0x00ff, 0x1234, 0xffff]) {
      expect([...processRequest(d, pdu(0x05, ...word(150), ...word(value)))]).toEqual([0x85, 0x03]);
    }
    expect(d.getCoil(150)).toBe(true);
  });

  it('answers 02 outside the coil table and 03 for a wrong length', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x05, ...word(99), 0xff, 0x00))]).toEqual([0x85, 0x02]);
    expect([...processRequest(d, pdu(0x05, ...word(150), 0xff))]).toEqual([0x85, 0x03]);
  });
});

describe('FC06 write single register', () => {
  it('stores the value and echoes the request', () => {
    const d = device();
    const req = pdu(0x06, ...word(42), ...word(0xbeef));
    expect([...processRequest(d, req)]).toEqual([...req]);
    expect(d.getHoldingRegister(42)).toBe(0xbeef);
  });

  it('answers 02 outside the map and 03 for a wrong length', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x06, ...word(400), ...word(1)))]).toEqual([0x86, 0x02]);
    expect([...processRequest(d, pdu(0x06, ...word(1), ...word(1), 0))]).toEqual([0x86, 0x03]);
  });
});

describe('FC15 write multiple coils', () => {
  it('writes packed bits and answers address and quantity', () => {
    const d = device();
    // 10 coils from 120: 0b11_0100_1101 -> 120,122,123,126,128,129
    const res = processRequest(d, pdu(0x0f, ...word(120), ...word(10), 2, 0b0100_1101, 0b11));
    expect([...res]).toEqual([0x0f, ...word(120), ...word(10)]);
    const on = [...Array(12).keys()].map((i) => 119 + i).filter((a) => d.getCoil(a));
    expect(on).toEqual([120, 122, 123, 126, 128, 129]);
  });

  it('accepts 1968 coils and refuses 0 and 1969 with 03', () => {
    const d = device();
    const ok = processRequest(d, pdu(0x0f, ...word(100), ...word(1968), 246, ...new Array<number>(246).fill(0xff)));
    expect([...ok]).toEqual([0x0f, ...word(100), ...word(1968)]);
    expect(d.getCoil(100 + 1967)).toBe(true);
    expect(d.getCoil(100 + 1968)).toBe(false);
    expect([...processRequest(d, pdu(0x0f, ...word(100), ...word(0), 0))]).toEqual([0x8f, 0x03]);
    expect([...processRequest(d, pdu(0x0f, ...word(100), ...word(1969), 247, ...new Array<number>(247).fill(0)))]).toEqual([0x8f, 0x03]);
  });

  it('refuses a byte count that does not match the quantity or the PDU length with 03', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x0f, ...word(100), ...word(10), 1, 0xff))]).toEqual([0x8f, 0x03]);
    expect([...processRequest(d, pdu(0x0f, ...word(100), ...word(10), 2, 0xff))]).toEqual([0x8f, 0x03]);
    expect([...processRequest(d, pdu(0x0f, ...word(100), ...word(10), 2, 0xff, 0x01, 0x00))]).toEqual([0x8f, 0x03]);
    expect([...processRequest(d, pdu(0x0f, ...word(100)))]).toEqual([0x8f, 0x03]);
  });

  it('answers 02 when the range leaves the table, writing nothing', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x0f, ...word(2095), ...word(8), 1, 0xff))]).toEqual([0x8f, 0x02]);
    expect(d.getCoil(2095)).toBe(false);
  });
});

describe('FC16 write multiple registers', () => {
  it('writes the words and answers address and quantity', () => {
    const d = device();
    const res = processRequest(d, pdu(0x10, ...word(10), ...word(3), 6, ...words([1, 0x8000, 0xffff])));
    expect([...res]).toEqual([0x10, ...word(10), ...word(3)]);
    expect([9, 10, 11, 12, 13].map((a) => d.getHoldingRegister(a))).toEqual([0, 1, 0x8000, 0xffff, 0]);
  });

  it('accepts 123 registers and refuses 0 and 124 with 03', () => {
    const d = device();
    const values = [...Array(123).keys()].map((i) => i * 3 + 1);
    expect([...processRequest(d, pdu(0x10, ...word(0), ...word(123), 246, ...words(values)))]).toEqual([0x10, 0, 0, 0, 123]);
    expect(d.getHoldingRegister(122)).toBe(367);
    expect([...processRequest(d, pdu(0x10, ...word(0), ...word(0), 0))]).toEqual([0x90, 0x03]);
    expect([...processRequest(d, pdu(0x10, ...word(0), ...word(124), 248, ...new Array<number>(248).fill(0)))]).toEqual([0x90, 0x03]);
  });

  it('refuses byte count mismatches with 03', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x10, ...word(0), ...word(2), 2, 0, 1))]).toEqual([0x90, 0x03]);
    expect([...processRequest(d, pdu(0x10, ...word(0), ...word(2), 4, 0, 1, 0))]).toEqual([0x90, 0x03]);
    expect([...processRequest(d, pdu(0x10, ...word(0), ...word(1), 2, 0, 1, 9))]).toEqual([0x90, 0x03]);
  });

  it('answers 02 outside the map', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x10, ...word(399), ...word(2), 4, 0, 1, 0, 2))]).toEqual([0x90, 0x02]);
    expect(d.getHoldingRegister(399)).toBe(0);
  });
});

describe('FC22 mask write register', () => {
  it('computes (current AND and) OR (or AND NOT and) as in the specification example', () => {
    const d = device();
    d.setHoldingRegister(4, 0x12);
    const req = pdu(0x16, ...word(4), ...word(0xf2), ...word(0x25));
    expect([...processRequest(d, req)]).toEqual([...req]);
    expect(d.getHoldingRegister(4)).toBe(0x17);
  });

  it('answers 02 outside the map and 03 for a wrong length', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x16, ...word(500), ...word(0), ...word(0)))]).toEqual([0x96, 0x02]);
    expect([...processRequest(d, pdu(0x16, ...word(4), ...word(0)))]).toEqual([0x96, 0x03]);
  });
});

describe('FC23 read/write multiple registers', () => {
  it('writes before reading, so an overlapping read sees the new values', () => {
    const d = device();
    d.setHoldingRegister(20, 7);
    const res = processRequest(d, pdu(0x17, ...word(19), ...word(4), ...word(21), ...word(2), 4, ...words([0xaaaa, 0xbbbb])));
    expect(res[0]).toBe(0x17);
    expect(res[1]).toBe(8);
    expect(readWords(res, 2, 4)).toEqual([0, 7, 0xaaaa, 0xbbbb]);
  });

  it('accepts read 125 / write 121 and refuses read 0/126 and write 0/122 with 03', () => {
    const d = device();
    const w121 = new Array<number>(242).fill(1);
    expect(processRequest(d, pdu(0x17, ...word(0), ...word(125), ...word(200), ...word(121), 242, ...w121)).length).toBe(252);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(0), ...word(0), ...word(1), 2, 0, 0))]).toEqual([0x97, 0x03]);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(126), ...word(0), ...word(1), 2, 0, 0))]).toEqual([0x97, 0x03]);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(1), ...word(0), ...word(0), 0))]).toEqual([0x97, 0x03]);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(1), ...word(0), ...word(122), 244, ...new Array<number>(244).fill(0)))]).toEqual([0x97, 0x03]);
  });

  it('refuses a byte count mismatch with 03', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(1), ...word(0), ...word(2), 2, 0, 0))]).toEqual([0x97, 0x03]);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(1), ...word(0), ...word(1), 2, 0, 0, 0))]).toEqual([0x97, 0x03]);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(1)))]).toEqual([0x97, 0x03]);
  });

  it('answers 02 for a read range outside the map without writing', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x17, ...word(390), ...word(20), ...word(5), ...word(1), 2, 0x12, 0x34))]).toEqual([0x97, 0x02]);
    expect(d.getHoldingRegister(5)).toBe(0);
    expect([...processRequest(d, pdu(0x17, ...word(0), ...word(1), ...word(399), ...word(2), 4, 0, 1, 0, 2))]).toEqual([0x97, 0x02]);
  });
});
