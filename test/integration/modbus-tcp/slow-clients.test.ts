/**
 * Slow clients over real sockets (issue 13, defect 6): a request trickling in byte by byte is
 * closed when it is older than the frame timeout (each byte used to reset the idle timer), and at
 * the connection limit the slow connection makes room for a new client (it used to be refused).
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { RtuBus } from '../../../src/modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer, type RtuOverTcpConnectionEvent } from '../../../src/modbus/rtu/rtu-over-tcp-server.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { adu, RawTcpClient } from '../../support/raw-tcp-client.js';
import { rtuFrame } from '../../support/rtu-frames.js';
import { timeToAnswer } from '../../support/slowloris.js';

const readOneInput = [0x04, 0x00, 0x05, 0x00, 0x01];

function device(): MemoryDevice {
  const d = new MemoryDevice({ inputRegisters: { start: 0, count: 10 } });
  for (let i = 0; i < 10; i += 1) d.setInputRegister(i, 500 + i);
  return d;
}

/** Sends `bytes` one byte per `everyMs` until the socket closes; resolves with the ms it stayed open and the bytes sent. */
async function trickle(port: number, bytes: Uint8Array, everyMs: number): Promise<{ openMs: number; sent: number }> {
  const socket: Socket = connect({ port, host: '127.0.0.1', noDelay: true });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await once(socket, 'connect');
  const started = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < bytes.length - 1) socket.write(bytes.subarray(sent, sent + 1));
    sent += 1;
  }, everyMs);
  socket.write(bytes.subarray(0, 1));
  sent = 1;
  await closed;
  clearInterval(timer);
  return { openMs: performance.now() - started, sent };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('Modbus/TCP: slow clients', () => {
  it('closes a request trickling in one byte per 50 ms after the 400 ms frame timeout, though each byte arrives in time', async () => {
    const server = new ModbusTcpServer({ router: device(), frameTimeoutMs: 400, idleTimeoutMs: 60_000 });
    const { port } = await server.listen(0);
    cleanups.push(() => server.close());
    const timedOut = once(server, 'frame-timeout');
    const { openMs, sent } = await trickle(port, adu(1, 1, readOneInput), 50);
    await timedOut;
    expect(openMs).toBeGreaterThanOrEqual(380);
    expect(openMs).toBeLessThan(1500);
    expect(sent).toBeGreaterThanOrEqual(5);
  });

  it('does not count bytes of an incomplete request as activity for the idle timeout either', async () => {
    const server = new ModbusTcpServer({ router: device(), frameTimeoutMs: 0, idleTimeoutMs: 400 });
    const { port } = await server.listen(0);
    cleanups.push(() => server.close());
    const idle = once(server, 'idle');
    const { openMs } = await trickle(port, adu(1, 1, readOneInput), 50);
    await idle;
    expect(openMs).toBeLessThan(1500);
  });

  it('at the limit closes the slow connection to admit a new client, and keeps the busy one', async () => {
    const server = new ModbusTcpServer({ router: device(), maxConnections: 2 });
    const { port } = await server.listen(0);
    cleanups.push(() => server.close());
    const busy = await RawTcpClient.connect(port);
    expect((await busy.request(1, 1, readOneInput)).pdu.readUInt16BE(2)).toBe(505);
    const slow = trickle(port, adu(2, 1, readOneInput), 1000);
    await once(server, 'connect');
    const evicted = once(server, 'evict');
    const ms = await timeToAnswer(port, adu(3, 1, readOneInput), 11, 1000);
    expect(ms).toBeDefined();
    expect(ms).toBeLessThan(1000);
    await evicted;
    expect((await slow).openMs).toBeLessThan(1000);
    expect((await busy.request(4, 1, readOneInput)).pdu.readUInt16BE(2)).toBe(505);
    busy.close();
  });
});

describe('RTU over TCP: limits like Modbus/TCP', () => {
  async function listen(options: { maxConnections?: number; frameTimeoutMs?: number }, events: RtuOverTcpConnectionEvent[]): Promise<number> {
    const server = await RtuOverTcpServer.listen(new RtuBus([[1, device()]]), { port: 0, ...options, onConnectionEvent: (event) => events.push(event) });
    cleanups.push(() => server.close());
    return server.address.port;
  }

  it('closes a frame trickling in past the frame timeout', async () => {
    const events: RtuOverTcpConnectionEvent[] = [];
    const port = await listen({ frameTimeoutMs: 400 }, events);
    const { openMs } = await trickle(port, rtuFrame(1, ...readOneInput), 50);
    expect(openMs).toBeGreaterThanOrEqual(380);
    expect(openMs).toBeLessThan(1500);
    expect(events).toEqual(['frame-timeout']);
  });

  it('serves at most maxConnections, making room by closing a slow one', async () => {
    const events: RtuOverTcpConnectionEvent[] = [];
    const port = await listen({ maxConnections: 1 }, events);
    const slow = trickle(port, rtuFrame(1, ...readOneInput), 1000);
    const ms = await timeToAnswer(port, rtuFrame(1, ...readOneInput), 7, 1000);
    expect(ms).toBeLessThan(1000);
    expect((await slow).openMs).toBeLessThan(1000);
    expect(events).toEqual(['evict']);
  });
});
