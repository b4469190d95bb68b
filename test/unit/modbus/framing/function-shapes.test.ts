/**
 * The one table of function-code shapes, checked against frames that third-party code builds
 * (jsmodbus's request and response classes, modbus-serial's client and its TestPort device) and,
 * for the function codes neither library builds, against frames written out per the Modbus
 * Application Protocol V1.1b3. Every length must be known from the bytes so far: for each prefix
 * of a frame the rule answers either NeedMoreBytes or the frame's whole length.
 */
import Modbus from 'jsmodbus';
import { describe, expect, it } from 'vitest';
import { LengthEndsAtCrc, LengthUnknown, NeedMoreBytes } from '../../../../src/modbus/framing/length-result.js';
import { mbapFraming } from '../../../../src/modbus/framing/mbap-framing.js';
import { rtuFraming } from '../../../../src/modbus/framing/rtu-framing.js';
import { functionShapes } from '../../../../src/modbus/framing/function-shapes.js';
import { ModbusRTU } from '../../../support/modbus-serial.js';
import { rtuFrame } from '../../../support/rtu-frames.js';

type LengthRule = (bytes: Uint8Array, start: number, available: number) => number;

/** The rule gives `frame.length` once enough bytes are in, NeedMoreBytes before, and never anything else. */
function expectLengthFromPrefixes(rule: LengthRule, frame: Uint8Array): void {
  const padded = new Uint8Array(frame.length + 4);
  padded.set(frame, 2);
  let known = -1;
  for (let available = 0; available <= frame.length; available++) {
    const length = rule(padded, 2, available);
    if (length !== NeedMoreBytes) {
      expect(length, `after ${available} of ${frame.length} bytes`).toBe(frame.length);
      if (known < 0) known = available;
    } else {
      expect(known, `NeedMoreBytes after the length was known (${available} bytes)`).toBe(-1);
    }
  }
  expect(known).toBeGreaterThan(0);
}

const { requests, responses, ModbusRTURequest, ModbusRTUResponse, ModbusTCPRequest, ModbusTCPResponse } = Modbus;

/** jsmodbus request bodies and the response bodies it answers them with. */
function jsmodbusExchanges() {
  const registers = Buffer.from([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10]);
  const bits = Buffer.from([0xa5, 0x5a, 0xff]);
  const readCoils = new requests.ReadCoilsRequestBody(0, 19);
  const readInputs = new requests.ReadDiscreteInputsRequestBody(3, 8);
  const readHolding = new requests.ReadHoldingRegistersRequestBody(0, 10);
  const readInput = new requests.ReadInputRegistersRequestBody(7, 3);
  const writeCoil = new requests.WriteSingleCoilRequestBody(4, true);
  const writeRegister = new requests.WriteSingleRegisterRequestBody(5, 0x1234);
  const writeCoils = new requests.WriteMultipleCoilsRequestBody(1, [true, false, true, true, false, false, true, true, true, false]);
  const writeRegisters = new requests.WriteMultipleRegistersRequestBody(2, [1, 2, 3, 4, 5]);
  return [
    { name: 'FC01 read coils', request: readCoils, response: responses.ReadCoilsResponseBody.fromRequest(readCoils, bits) },
    { name: 'FC02 read discrete inputs', request: readInputs, response: responses.ReadDiscreteInputsResponseBody.fromRequest(readInputs, bits) },
    { name: 'FC03 read holding registers', request: readHolding, response: responses.ReadHoldingRegistersResponseBody.fromRequest(readHolding, registers) },
    { name: 'FC04 read input registers', request: readInput, response: responses.ReadInputRegistersResponseBody.fromRequest(readInput, registers.subarray(14)) },
    { name: 'FC05 write single coil', request: writeCoil, response: responses.WriteSingleCoilResponseBody.fromRequest(writeCoil) },
    { name: 'FC06 write single register', request: writeRegister, response: responses.WriteSingleRegisterResponseBody.fromRequest(writeRegister) },
    { name: 'FC15 write multiple coils', request: writeCoils, response: responses.WriteMultipleCoilsResponseBody.fromRequest(writeCoils) },
    { name: 'FC16 write multiple registers', request: writeRegisters, response: responses.WriteMultipleRegistersResponseBody.fromRequest(writeRegisters) },
  ];
}

describe('request and response lengths agree with jsmodbus frames', () => {
  for (const exchange of jsmodbusExchanges()) {
    it(`${exchange.name}: RTU`, () => {
      const request = new ModbusRTURequest(17, exchange.request);
      expectLengthFromPrefixes(rtuFraming.requestLength, request.createPayload());
      expectLengthFromPrefixes(rtuFraming.responseLength, ModbusRTUResponse.fromRequest(request, exchange.response).createPayload());
    });

    it(`${exchange.name}: MBAP`, () => {
      const request = new ModbusTCPRequest(0x1234, 0, exchange.request.byteCount + 1, 9, exchange.request);
      expectLengthFromPrefixes(mbapFraming.requestLength, request.createPayload());
      expectLengthFromPrefixes(mbapFraming.responseLength, ModbusTCPResponse.fromRequest(request, exchange.response).createPayload());
    });
  }

  it('FC43/14 read device identification request; an exception response', () => {
    const body = new requests.ReadDeviceIdentificationRequestBody(1, 0);
    expectLengthFromPrefixes(rtuFraming.requestLength, new ModbusRTURequest(1, body).createPayload());
    const exception = new ModbusRTURequest(1, new requests.ExceptionRequestBody(0x03, 0x02));
    const answer = ModbusRTUResponse.fromRequest(exception, responses.ExceptionResponseBody.fromRequest(new requests.ExceptionRequestBody(0x03, 0x02))).createPayload();
    expect(Array.from(answer.subarray(0, 3))).toEqual([1, 0x83, 0x02]);
    expectLengthFromPrefixes(rtuFraming.responseLength, answer);
  });
});

/** A modbus-serial TestPort (a simulated RTU device) that records what goes over it. */
function recordingTestPort() {
  const port = new ModbusRTU.TestPort();
  const written: Buffer[] = [];
  const answered: Buffer[] = [];
  const write = port.write.bind(port);
  port.write = (data: Buffer) => {
    written.push(Buffer.from(data));
    write(data);
  };
  port.on('data', (data: Buffer) => answered.push(Buffer.from(data)));
  return { port, written, answered };
}

describe('request and response lengths agree with modbus-serial frames (client and TestPort device)', () => {
  it('FC01..06, 15, 16, 22, 43 and an exception answer', async () => {
    const { port, written, answered } = recordingTestPort();
    const client = new ModbusRTU(port);
    await new Promise<void>((resolve) => client.open(() => resolve()));
    client.setID(1);
    await client.readCoils(0, 12);
    await client.readDiscreteInputs(0, 3);
    await client.readHoldingRegisters(0, 9);
    await client.readInputRegisters(2, 4);
    await client.writeCoil(3, true);
    await client.writeRegister(4, 0xbeef);
    await client.writeCoils(0, [true, true, false, true, false, false, false, true, true]);
    await client.writeRegisters(1, [10, 20, 30]);
    await client.maskWriteRegister(2, 0x00f2, 0x0025);
    await client.readDeviceIdentification(1, 0);
    client.setID(5);
    await expect(client.readHoldingRegisters(0, 2)).rejects.toThrow();

    expect(written.map((frame) => frame[1])).toEqual([1, 2, 3, 4, 5, 6, 15, 16, 22, 43, 3]);
    expect(answered.map((frame) => frame[1])).toEqual([1, 2, 3, 4, 5, 6, 15, 16, 22, 43, 0x83]);
    for (const request of written) expectLengthFromPrefixes(rtuFraming.requestLength, request);
    for (const response of answered) {
      if (response[1] === 43) {
        // the device identification answer lists objects of their own lengths: not in the table
        expect(rtuFraming.responseLength(response, 0, response.length)).toBe(LengthUnknown);
        continue;
      }
      expectLengthFromPrefixes(rtuFraming.responseLength, response);
      expect(rtuFraming.verify(response, 0, response.length)).toBeUndefined();
    }
  });

  it('FC23 read/write multiple registers request', () => {
    const { port, written } = recordingTestPort();
    const client = new ModbusRTU(port);
    client.open();
    client.writeFC23(1, 0, 3, 10, 2, [7, 8], () => undefined);
    expect(written).toHaveLength(1);
    expectLengthFromPrefixes(rtuFraming.requestLength, written[0]);
    expect(written[0].length).toBe(17);
  });
});

describe('request and response lengths of frames written out per the specification', () => {
  const cases: { name: string; request: number[]; response: number[] }[] = [
    { name: 'FC07 read exception status', request: [0x07], response: [0x07, 0x6d] },
    { name: 'FC08 diagnostics, restart communications', request: [0x08, 0x00, 0x01, 0xff, 0x00], response: [0x08, 0x00, 0x01, 0xff, 0x00] },
    { name: 'FC11 get comm event counter', request: [0x0b], response: [0x0b, 0xff, 0xff, 0x01, 0x08] },
    { name: 'FC12 get comm event log', request: [0x0c], response: [0x0c, 0x08, 0x00, 0x00, 0x01, 0x08, 0x01, 0x21, 0x20, 0x00] },
    { name: 'FC17 report server id', request: [0x11], response: [0x11, 0x05, 0x53, 0x55, 0x42, 0x4d, 0xff] },
    { name: 'FC20 read file record', request: [0x14, 0x07, 0x06, 0x00, 0x04, 0x00, 0x01, 0x00, 0x02], response: [0x14, 0x06, 0x05, 0x06, 0x0d, 0xfe, 0x00, 0x20] },
    { name: 'FC21 write file record', request: [0x15, 0x0b, 0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x01, 0x06, 0xaf, 0x04, 0xbe], response: [0x15, 0x0b, 0x06, 0x00, 0x04, 0x00, 0x07, 0x00, 0x01, 0x06, 0xaf, 0x04, 0xbe] },
    { name: 'FC22 mask write register', request: [0x16, 0x00, 0x04, 0x00, 0xf2, 0x00, 0x25], response: [0x16, 0x00, 0x04, 0x00, 0xf2, 0x00, 0x25] },
    { name: 'FC23 read/write multiple registers', request: [0x17, 0x00, 0x03, 0x00, 0x06, 0x00, 0x0e, 0x00, 0x03, 0x06, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff], response: [0x17, 0x0c, 0x00, 0xfe, 0x0a, 0xcd, 0x00, 0x01, 0x00, 0x03, 0x00, 0x0d, 0x00, 0xff] },
    { name: 'FC24 read FIFO queue', request: [0x18, 0x04, 0xde], response: [0x18, 0x00, 0x06, 0x00, 0x02, 0x01, 0xb8, 0x12, 0x84] },
  ];
  for (const { name, request, response } of cases) {
    it(`${name}: RTU and MBAP`, () => {
      expectLengthFromPrefixes(rtuFraming.requestLength, rtuFrame(1, ...request));
      expectLengthFromPrefixes(rtuFraming.responseLength, rtuFrame(1, ...response));
      for (const pdu of [request, response]) {
        const adu = new Uint8Array(mbapFraming.headerLength + pdu.length);
        adu.set(pdu, mbapFraming.headerLength);
        mbapFraming.seal(adu, 0, pdu.length, 1, 77);
        expectLengthFromPrefixes(mbapFraming.requestLength, adu);
      }
    });
  }

  it('FC08 return query data echoes data of any length: the frame ends where its CRC first checks', () => {
    const echo = rtuFrame(1, 0x08, 0x00, 0x00, 0xa5, 0x37, 0x01, 0x02);
    expect(rtuFraming.requestLength(echo, 0, 3)).toBe(NeedMoreBytes);
    expect(rtuFraming.requestLength(echo, 0, 4)).toBe(LengthEndsAtCrc);
    expect(rtuFraming.responseLength(echo, 0, echo.length)).toBe(LengthEndsAtCrc);
  });

  it('FC43 with another MEI type than 0x0E, and function codes not in the table, have no known length', () => {
    expect(rtuFraming.requestLength(rtuFrame(1, 0x2b, 0x0d, 0x00), 0, 6)).toBe(LengthUnknown);
    expect(rtuFraming.requestLength(rtuFrame(1, 0x41, 0x00), 0, 5)).toBe(LengthUnknown);
    expect(rtuFraming.responseLength(rtuFrame(1, 0x41, 0x00), 0, 5)).toBe(LengthUnknown);
  });

  it('lists each function code once, the ones served by submeter included', () => {
    const codes = functionShapes.map((shape) => shape.functionCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x08, 0x0f, 0x10, 0x11, 0x16, 0x17, 0x2b]));
  });
});
