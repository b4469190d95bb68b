/**
 * The counters a Modbus/TCP server keeps for /metrics, driven by modbus-serial over a real socket:
 * requests by function code, exception answers by code, connections, bytes each way, the handling
 * time histogram and injected faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EndpointCounters, REQUEST_DURATION_BUCKETS_S } from '../../../src/modbus/endpoint-counters.js';
import { CommFaultPolicy } from '../../../src/modbus/faults/comm-fault-policy.js';
import { mbapFraming } from '../../../src/modbus/framing/mbap-framing.js';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { ModbusRTU } from '../../support/modbus-serial.js';

describe('endpoint counters', () => {
  const counters = new EndpointCounters();
  const policy = new CommFaultPolicy({ seed: 1 });
  const server = new ModbusTcpServer({ router: new MemoryDevice({ holdingRegisters: { start: 0, count: 100 } }), counters, faults: policy.forEndpoint('tcp', mbapFraming) });
  let port = 0;
  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });
  afterAll(() => server.close());

  it('counts requests by function code, exceptions by code, bytes, connections and faults', async () => {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port });
    client.setID(1);
    client.setTimeout(300);
    for (let i = 0; i < 5; i++) await client.readHoldingRegisters(0, 10);
    await client.writeRegister(3, 42);
    await expect(client.readHoldingRegisters(200, 2)).rejects.toMatchObject({ modbusCode: 2 });
    policy.apply({ kind: 'no-response', count: 1 });
    await expect(client.readHoldingRegisters(0, 1)).rejects.toThrow(/Timed out/);
    expect(counters.connectionsOpen).toBe(1);
    await new Promise<void>((resolve) => client.close(() => resolve()));
    await expect.poll(() => counters.connectionsOpen).toBe(0);

    expect(counters.requestsByFunction[3]).toBe(6); // 5 good reads + the one past the map; the faulted one is not served
    expect(counters.requestsByFunction[6]).toBe(1);
    expect(counters.exceptionsByCode[2]).toBe(1);
    expect(counters.faultsInjected).toBe(1);
    expect(counters.connectionsAccepted).toBe(1);
    // 8 requests of 12 bytes each; answers: 5 x (9 + 20), one echo of 12, one exception of 9
    expect(counters.bytesReceived).toBe(8 * 12);
    expect(counters.bytesSent).toBe(5 * 29 + 12 + 9);
    expect(Array.from(counters.durationBuckets).reduce((a, b) => a + b, 0)).toBe(7);
    expect(counters.durationBuckets).toHaveLength(REQUEST_DURATION_BUCKETS_S.length + 1);
    expect(counters.durationSumS).toBeGreaterThan(0);
    expect(counters.durationSumS).toBeLessThan(0.5);
  });
});
