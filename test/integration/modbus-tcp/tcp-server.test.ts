import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryDevice } from '../../../src/modbus/memory-device.js';
import { ModbusTcpServer } from '../../../src/modbus/tcp/tcp-server.js';
import { UnitRouter } from '../../../src/modbus/unit-router.js';
import { adu, RawTcpClient } from '../../support/raw-tcp-client.js';

function demoDevice(seed: number): MemoryDevice {
  const d = new MemoryDevice({ inputRegisters: { start: 0, count: 200 }, holdingRegisters: { start: 0, count: 200 } });
  for (let i = 0; i < 200; i += 1) d.setInputRegister(i, (seed * 1000 + i) & 0xffff);
  return d;
}

const readInput = (address: number, quantity: number): number[] => [0x04, address >> 8, address & 0xff, quantity >> 8, quantity & 0xff];

describe('Modbus/TCP server over real sockets', () => {
  const device = demoDevice(1);
  const server = new ModbusTcpServer({ router: device });
  let port = 0;
  const clients: RawTcpClient[] = [];
  const open = async (p = port): Promise<RawTcpClient> => {
    const c = await RawTcpClient.connect(p);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a read with the transaction id, unit id and the registers', async () => {
    const c = await open();
    const r = await c.request(0xbeef, 1, readInput(10, 3));
    expect(r.transactionId).toBe(0xbeef);
    expect(r.unit).toBe(1);
    expect([...r.pdu]).toEqual([0x04, 6, 0x03, 0xf2, 0x03, 0xf3, 0x03, 0xf4]);
  });

  it('reassembles a request sent one byte at a time', async () => {
    const c = await open();
    const frame = adu(7, 1, readInput(100, 2));
    for (const byte of frame) {
      c.socket.write(Buffer.of(byte));
      // wait until the byte has left the client so each byte is its own segment
      if (c.socket.writableLength > 0) await once(c.socket, 'drain');
    }
    const [r] = await c.waitFor(1);
    expect(r.transactionId).toBe(7);
    expect([...r.pdu]).toEqual([0x04, 4, 0x04, 0x4c, 0x04, 0x4d]);
  });

  it('answers several requests from one segment in order', async () => {
    const c = await open();
    const frames = [...Array(50).keys()].map((i) => adu(1000 + i, 1, readInput(i, 1 + (i % 5))));
    c.send(Buffer.concat(frames));
    const all = await c.waitFor(50);
    expect(all.map((r) => r.transactionId)).toEqual([...Array(50).keys()].map((i) => 1000 + i));
    all.forEach((r, i) => {
      expect(r.pdu[1]).toBe(2 * (1 + (i % 5)));
      expect(r.pdu.readUInt16BE(2)).toBe(1000 + i);
    });
  });

  it('handles a frame split across two chunks together with whole frames', async () => {
    const c = await open();
    const stream = Buffer.concat([adu(1, 1, readInput(0, 1)), adu(2, 1, readInput(1, 1)), adu(3, 1, readInput(2, 1))]);
    c.send(stream.subarray(0, 16));
    await c.waitFor(1);
    c.send(stream.subarray(16));
    const all = await c.waitFor(3);
    expect(all.map((r) => r.pdu.readUInt16BE(2))).toEqual([1000, 1001, 1002]);
  });

  it('closes the connection on a protocol id other than 0, and only that one', async () => {
    const bad = await open();
    const good = await open();
    const frame = adu(1, 1, readInput(0, 1));
    frame.writeUInt16BE(1, 2);
    bad.send(frame);
    await bad.closed;
    expect(bad.received).toEqual([]);
    const r = await good.request(9, 1, readInput(5, 1));
    expect(r.pdu.readUInt16BE(2)).toBe(1005);
  });

  it.each([
    [0, 'zero'],
    [1, 'one (no PDU)'],
    [255, '255'],
    [0xffff, '65535'],
  ])('closes the connection on an MBAP length of %i (%s)', async (length) => {
    const c = await open();
    const frame = Buffer.from([0, 1, 0, 0, length >> 8, length & 0xff, 1, 0x04, 0, 0, 0, 1]);
    c.send(frame);
    await c.closed;
    expect(c.received).toEqual([]);
  });

  it('answers the good requests before a broken frame, then closes', async () => {
    const c = await open();
    const bad = adu(3, 1, readInput(0, 1));
    bad.writeUInt16BE(0x1234, 2);
    c.send(Buffer.concat([adu(1, 1, readInput(0, 1)), adu(2, 1, readInput(1, 1)), bad]));
    await c.closed;
    expect(c.received.map((r) => r.transactionId)).toEqual([1, 2]);
  });

  it('answers units 1, 0 and 255 and 0x0B for any other unit', async () => {
    const c = await open();
    for (const unit of [1, 0, 255]) {
      const r = await c.request(unit, unit, readInput(0, 1));
      expect(r.unit).toBe(unit);
      expect([...r.pdu]).toEqual([0x04, 2, 0x03, 0xe8]);
    }
    const absent = await c.request(2, 2, readInput(0, 1));
    expect([...absent.pdu]).toEqual([0x84, 0x0b]);
  });

  it('answers protocol exceptions over TCP (02, 03, 01)', async () => {
    const c = await open();
    expect([...(await c.request(1, 1, readInput(199, 2))).pdu]).toEqual([0x84, 0x02]);
    expect([...(await c.request(2, 1, readInput(0, 126))).pdu]).toEqual([0x84, 0x03]);
    expect([...(await c.request(3, 1, [0x08, 0, 0, 0, 0])).pdu]).toEqual([0x88, 0x01]);
    expect([...(await c.request(4, 1, [0x11])).pdu]).toEqual([0x91, 0x01]);
  });

  it('survives clients that reset the connection mid-stream (ECONNRESET / EPIPE)', async () => {
    for (let i = 0; i < 20; i += 1) {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.on('error', () => {});
      await once(socket, 'connect');
      // many requests, then a reset before the answers are read
      socket.write(Buffer.concat([...Array(200).keys()].map((k) => adu(k, 1, readInput(0, 125)))));
      socket.resetAndDestroy();
    }
    const c = await open();
    expect((await c.request(1, 1, readInput(3, 1))).pdu.readUInt16BE(2)).toBe(1003);
  });
});

describe('gateway mode', () => {
  const server = new ModbusTcpServer({ router: UnitRouter.gateway(new Map([[3, demoDevice(3)], [4, demoDevice(4)]])) });
  let port = 0;
  beforeAll(async () => {
    port = (await server.listen(0)).port;
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves each unit from its own device and 0x0B for an absent unit', async () => {
    const c = await RawTcpClient.connect(port);
    expect((await c.request(1, 3, readInput(1, 1))).pdu.readUInt16BE(2)).toBe(3001);
    expect((await c.request(2, 4, readInput(1, 1))).pdu.readUInt16BE(2)).toBe(4001);
    expect([...(await c.request(3, 1, readInput(1, 1))).pdu]).toEqual([0x84, 0x0b]);
    expect([...(await c.request(4, 0, [0x03, 0, 0, 0, 1])).pdu]).toEqual([0x83, 0x0b]);
    c.close();
  });
});

describe('connection limit, idle timeout, backpressure', () => {
  it('closes connections beyond the limit and serves again once one leaves', async () => {
    const server = new ModbusTcpServer({ router: demoDevice(1), maxConnections: 3 });
    const { port } = await server.listen(0);
    const clients = [await RawTcpClient.connect(port), await RawTcpClient.connect(port), await RawTcpClient.connect(port)];
    await Promise.all(clients.map((c, i) => c.request(i, 1, readInput(0, 1))));
    const rejected = once(server, 'reject');
    const fourth = await RawTcpClient.connect(port);
    await rejected;
    await fourth.closed;
    expect(server.connectionCount).toBe(3);
    const left = once(server, 'disconnect');
    clients[0].close();
    await left;
    const fifth = await RawTcpClient.connect(port);
    expect((await fifth.request(1, 1, readInput(2, 1))).pdu.readUInt16BE(2)).toBe(1002);
    for (const c of [...clients, fifth]) c.close();
    await server.close();
  });

  it('serves 32 connections by default and refuses the 33rd', async () => {
    const server = new ModbusTcpServer({ router: demoDevice(1) });
    expect(server.maxConnections).toBe(32);
    const { port } = await server.listen(0);
    const clients: RawTcpClient[] = [];
    for (let i = 0; i < 32; i += 1) clients.push(await RawTcpClient.connect(port));
    await Promise.all(clients.map((c, i) => c.request(i, 1, readInput(i, 1))));
    const rejected = once(server, 'reject');
    const extra = await RawTcpClient.connect(port);
    await rejected;
    await extra.closed;
    expect(server.connectionCount).toBe(32);
    for (const c of clients) c.close();
    await server.close();
  });

  it('closes a connection that stays silent for idleTimeoutMs', async () => {
    const server = new ModbusTcpServer({ router: demoDevice(1), idleTimeoutMs: 150 });
    const { port } = await server.listen(0);
    const c = await RawTcpClient.connect(port);
    await c.request(1, 1, readInput(0, 1));
    const idle = once(server, 'idle');
    const gone = once(server, 'disconnect');
    await c.closed;
    await idle;
    await gone;
    expect(server.connectionCount).toBe(0);
    await server.close();
  });

  it('stops reading from a client that does not read its responses, and loses nothing', async () => {
    const server = new ModbusTcpServer({ router: demoDevice(1) });
    const { port } = await server.listen(0);
    const c = await RawTcpClient.connect(port);
    c.socket.pause(); // do not read responses
    const paused = new Promise<void>((resolve) => server.once('backpressure', () => resolve()));
    const total = 40_000; // 40k x 257-byte responses = 10 MB, far beyond socket buffers
    const batch = Buffer.concat([...Array(1000).keys()].map((k) => adu(k, 1, readInput(k % 60, 125))));
    for (let i = 0; i < total / 1000; i += 1) c.send(batch);
    await paused;
    expect(server.connectionCount).toBe(1);
    c.socket.resume();
    const all = await c.waitFor(total);
    expect(all.length).toBe(total);
    expect(all.every((r, i) => r.transactionId === i % 1000 && r.pdu.length === 252 && r.pdu.readUInt16BE(2) === 1000 + (i % 1000) % 60)).toBe(true);
    c.close();
    await server.close();
  });
});
