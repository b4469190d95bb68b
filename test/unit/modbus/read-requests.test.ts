import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { processRequest } from '../../../src/modbus/pdu/handle-request.js';
import { pdu, readWords, word } from '../../support/pdu.js';

function device(): MemoryDevice {
  const d = new MemoryDevice({
    holdingRegisters: { start: 100, count: 200 },
    inputRegisters: { start: 0, count: 300 },
    coils: { start: 0, count: 2100 },
    discreteInputs: { start: 10, count: 20 },
  });
  for (let i = 0; i < 300; i += 1) d.setInputRegister(i, (i * 257 + 3) & 0xffff);
  for (let i = 100; i < 300; i += 1) d.setHoldingRegister(i, 0x1000 + i);
  return d;
}

describe('FC01 read coils / FC02 read discrete inputs', () => {
  it('packs bits LSB first and zeroes the spare bits of the last byte', () => {
    const d = device();
    // coils 20..38 (19 bits): set 20, 22, 27, 28, 38
    for (const a of [20, 22, 27, 28, 38]) d.setCoil(a, true);
    const res = processRequest(d, pdu(0x01, ...word(20), ...word(19)));
    // coils 20,22 -> byte 0 bits 0,2; 27,28 -> byte 0 bit 7, byte 1 bit 0; 38 -> byte 2 bit 2
    expect([...res]).toEqual([0x01, 3, 0b1000_0101, 0b0000_0001, 0b0000_0100]);
    expect(res[0]).toBe(0x01);
    expect(res[1]).toBe(3);
    // bit i of the response = coil 20 + i
    const bits = [...Array(19).keys()].map((i) => (res[2 + (i >> 3)] >> (i & 7)) & 1);
    expect(bits.flatMap((b, i) => (b ? [20 + i] : []))).toEqual([20, 22, 27, 28, 38]);
    expect(res[4] & 0b1111_1000).toBe(0);
  });

  it('reads discrete inputs from their own table', () => {
    const d = device();
    d.setDiscreteInput(12, true);
    d.setDiscreteInput(29, true);
    const res = processRequest(d, pdu(0x02, ...word(10), ...word(20)));
    expect([...res]).toEqual([0x02, 3, 0b0000_0100, 0x00, 0b0000_1000]);
  });

  it('accepts 2000 bits and refuses 0 and 2001 with 03', () => {
    const d = device();
    expect(processRequest(d, pdu(0x01, ...word(0), ...word(2000))).length).toBe(2 + 250);
    expect([...processRequest(d, pdu(0x01, ...word(0), ...word(0)))]).toEqual([0x81, 0x03]);
    expect([...processRequest(d, pdu(0x01, ...word(0), ...word(2001)))]).toEqual([0x81, 0x03]);
    expect([...processRequest(d, pdu(0x02, ...word(10), ...word(2001)))]).toEqual([0x82, 0x03]);
  });

  it('answers 02 for a range that leaves the table and 03 for a wrong length', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x02, ...word(9), ...word(1)))]).toEqual([0x82, 0x02]);
    expect([...processRequest(d, pdu(0x02, ...word(25), ...word(6)))]).toEqual([0x82, 0x02]);
    expect([...processRequest(d, pdu(0x01, ...word(0xffff), ...word(2)))]).toEqual([0x81, 0x02]);
    expect([...processRequest(d, pdu(0x01, ...word(0), 0x00))]).toEqual([0x81, 0x03]);
    expect([...processRequest(d, pdu(0x01, ...word(0), ...word(1), 0x00))]).toEqual([0x81, 0x03]);
  });
});

describe('FC03 read holding registers / FC04 read input registers', () => {
  it('returns the words of the right table', () => {
    const d = device();
    const res = processRequest(d, pdu(0x04, ...word(7), ...word(3)));
    expect(res[0]).toBe(0x04);
    expect(res[1]).toBe(6);
    expect(readWords(res, 2, 3)).toEqual([7 * 257 + 3, 8 * 257 + 3, 9 * 257 + 3]);
    const hr = processRequest(d, pdu(0x03, ...word(150), ...word(2)));
    expect(readWords(hr, 2, 2)).toEqual([0x1000 + 150, 0x1000 + 151]);
  });

  it('accepts 125 registers and refuses 0 and 126 with 03', () => {
    const d = device();
    const res = processRequest(d, pdu(0x04, ...word(0), ...word(125)));
    expect(res.length).toBe(252);
    expect(readWords(res, 2, 125)[124]).toBe((124 * 257 + 3) & 0xffff);
    expect([...processRequest(d, pdu(0x04, ...word(0), ...word(0)))]).toEqual([0x84, 0x03]);
    expect([...processRequest(d, pdu(0x03, ...word(100), ...word(126)))]).toEqual([0x83, 0x03]);
  });

  it('answers 02 outside the map: below, straddling the end, past 65535', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x03, ...word(99), ...word(1)))]).toEqual([0x83, 0x02]);
    expect([...processRequest(d, pdu(0x03, ...word(299), ...word(2)))]).toEqual([0x83, 0x02]);
    expect([...processRequest(d, pdu(0x04, ...word(0xfff0), ...word(0x20)))]).toEqual([0x84, 0x02]);
  });

  it('checks quantity (03) before address (02), as the state diagram does', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x03, ...word(5000), ...word(200)))]).toEqual([0x83, 0x03]);
  });

  it('answers 03 when the PDU length is wrong', () => {
    const d = device();
    expect([...processRequest(d, pdu(0x03, 0x00, 0x01))]).toEqual([0x83, 0x03]);
    expect([...processRequest(d, pdu(0x04, ...word(0), ...word(1), 0xaa, 0xbb))]).toEqual([0x84, 0x03]);
  });
});
