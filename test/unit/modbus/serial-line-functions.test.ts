import { describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { processRequest } from '../../../src/modbus/pdu/handle-request.js';
import type { RequestContext } from '../../../src/modbus/pdu/request-context.js';
import { SerialDiagnostics } from '../../../src/modbus/serial-diagnostics.js';
import { pdu, word } from '../../support/pdu.js';

function serial(): { context: RequestContext; diagnostics: SerialDiagnostics } {
  const diagnostics = new SerialDiagnostics();
  return { diagnostics, context: { diagnostics, reportServerId: true } };
}

describe('FC08 diagnostics', () => {
  const d = new MemoryDevice({ holdingRegisters: { start: 0, count: 10 } });

  it('is 01 on a transport without serial diagnostics (TCP)', () => {
    expect([...processRequest(d, pdu(0x08, 0, 0, 0x12, 0x34))]).toEqual([0x88, 0x01]);
  });

  it('00 return query data echoes any data', () => {
    const { context } = serial();
    const req = pdu(0x08, 0, 0, 0xa5, 0x37, 0x01, 0x02);
    expect([...processRequest(d, req, context)]).toEqual([...req]);
  });

  it('counts server messages and exceptions; 0A clears them', () => {
    const { context, diagnostics } = serial();
    diagnostics.busMessageCount = 9; // the transport's counter
    processRequest(d, pdu(0x03, ...word(0), ...word(1)), context);
    processRequest(d, pdu(0x03, ...word(50), ...word(1)), context); // 02
    processRequest(d, pdu(0x41), context); // 01
    // this request is the 4th server message
    expect([...processRequest(d, pdu(0x08, ...word(0x0e), 0, 0), context)]).toEqual([0x08, 0x00, 0x0e, ...word(4)]);
    expect([...processRequest(d, pdu(0x08, ...word(0x0d), 0, 0), context)]).toEqual([0x08, 0x00, 0x0d, ...word(2)]);
    expect([...processRequest(d, pdu(0x08, ...word(0x0b), 0, 0), context)]).toEqual([0x08, 0x00, 0x0b, ...word(9)]);
    expect([...processRequest(d, pdu(0x08, ...word(0x0a), 0, 0), context)]).toEqual([0x08, 0x00, 0x0a, 0, 0]);
    expect(diagnostics.busMessageCount).toBe(0);
    expect([...processRequest(d, pdu(0x08, ...word(0x0e), 0, 0), context)]).toEqual([0x08, 0x00, 0x0e, ...word(1)]);
  });

  it('returns each counter by its sub-function', () => {
    const { context, diagnostics } = serial();
    diagnostics.diagnosticRegister = 0x8001;
    diagnostics.busCommunicationErrorCount = 3;
    diagnostics.serverNakCount = 4;
    diagnostics.serverBusyCount = 5;
    diagnostics.busCharacterOverrunCount = 6;
    expect([...processRequest(d, pdu(0x08, ...word(0x02), 0, 0), context)].slice(3)).toEqual(word(0x8001));
    expect([...processRequest(d, pdu(0x08, ...word(0x0c), 0, 0), context)].slice(3)).toEqual(word(3));
    expect([...processRequest(d, pdu(0x08, ...word(0x10), 0, 0), context)].slice(3)).toEqual(word(4));
    expect([...processRequest(d, pdu(0x08, ...word(0x11), 0, 0), context)].slice(3)).toEqual(word(5));
    expect([...processRequest(d, pdu(0x08, ...word(0x12), 0, 0), context)].slice(3)).toEqual(word(6));
    expect([...processRequest(d, pdu(0x08, ...word(0x14), 0, 0), context)]).toEqual([0x08, 0, 0x14, 0, 0]);
    expect(diagnostics.busCharacterOverrunCount).toBe(0);
  });

  it('04 force listen only: no answers until 01 restart, which is not answered either', () => {
    const { context, diagnostics } = serial();
    const restarts: boolean[] = [];
    diagnostics.onRestart = (clearLog) => restarts.push(clearLog);
    expect(processRequest(d, pdu(0x08, ...word(0x04), 0, 0), context).length).toBe(0);
    expect(diagnostics.listenOnly).toBe(true);
    expect(processRequest(d, pdu(0x03, ...word(0), ...word(1)), context).length).toBe(0);
    expect(processRequest(d, pdu(0x08, 0, 0, 1, 2), context).length).toBe(0);
    expect(diagnostics.serverNoResponseCount).toBe(3);
    expect(processRequest(d, pdu(0x08, ...word(0x01), 0xff, 0x00), context).length).toBe(0);
    expect(diagnostics.listenOnly).toBe(false);
    expect(restarts).toEqual([true]);
    expect(processRequest(d, pdu(0x03, ...word(0), ...word(1)), context).length).toBe(4);
    // restart outside listen-only mode is echoed and clears the counters
    expect([...processRequest(d, pdu(0x08, ...word(0x01), 0, 0), context)]).toEqual([0x08, 0, 1, 0, 0]);
    expect(diagnostics.serverMessageCount).toBe(0);
  });

  it('unsupported sub-functions are 01, wrong data 03', () => {
    const { context } = serial();
    expect([...processRequest(d, pdu(0x08, ...word(0x03), 0x0a, 0x00), context)]).toEqual([0x88, 0x01]);
    expect([...processRequest(d, pdu(0x08, ...word(0x15), 0, 0), context)]).toEqual([0x88, 0x01]);
    expect([...processRequest(d, pdu(0x08, ...word(0x01), 0x12, 0x34), context)]).toEqual([0x88, 0x03]);
    expect([...processRequest(d, pdu(0x08, ...word(0x04), 0, 1), context)]).toEqual([0x88, 0x03]);
    expect([...processRequest(d, pdu(0x08, ...word(0x0b), 0, 0, 0), context)]).toEqual([0x88, 0x03]);
    expect([...processRequest(d, pdu(0x08, 0), context)]).toEqual([0x88, 0x03]);
  });
});

describe('FC17 report server id', () => {
  it('answers the device id bytes and run indicator 0xFF on a serial context', () => {
    const d = new MemoryDevice({ serverId: Uint8Array.from([0x53, 0x4d, 0x01]) });
    const { context } = serial();
    expect([...processRequest(d, pdu(0x11), context)]).toEqual([0x11, 4, 0x53, 0x4d, 0x01, 0xff]);
    expect([...processRequest(d, pdu(0x11, 0), context)]).toEqual([0x91, 0x03]);
  });

  it('is 01 where it is not enabled (TCP)', () => {
    expect([...processRequest(new MemoryDevice(), pdu(0x11))]).toEqual([0x91, 0x01]);
  });
});

describe('broadcast (serial unit 0)', () => {
  it('executes a write and answers nothing', () => {
    const d = new MemoryDevice();
    const { diagnostics } = serial();
    const res = processRequest(d, pdu(0x06, ...word(3), ...word(77)), { diagnostics, broadcast: true });
    expect(res.length).toBe(0);
    expect(d.getHoldingRegister(3)).toBe(77);
    expect(diagnostics.serverNoResponseCount).toBe(1);
  });
});
