/**
 * A broker that accepts the connection and then stops reading (a stalled or overloaded broker):
 * the publisher must stop writing once the socket pushes back, keep at most its queue's capacity
 * (dropping and counting the oldest), and the panel must keep answering Modbus polls meanwhile.
 * The "broker" is a raw TCP server that answers CONNECT with a CONNACK and then never reads again.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModbusRTU } from '../../support/modbus-serial.js';
import { manualClock, meterSpec, startMqttPanel, type MqttPanel } from '../../support/mqtt-panel.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** CONNACK for MQTT 5: flags 0, reason 0 (success), no properties. */
const CONNACK_V5 = Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]);

async function stalledBroker(): Promise<{ port: number; connected: Promise<Socket> }> {
  const server = createServer();
  const sockets: Socket[] = [];
  const connected = new Promise<Socket>((resolve) => {
    server.on('connection', (socket) => {
      sockets.push(socket);
      socket.once('data', () => {
        socket.write(CONNACK_V5);
        socket.pause(); // never reads again: the publisher's writes back up
        resolve(socket);
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: typeof address === 'object' && address !== null ? address.port : 0, connected };
}

describe('MQTT output with a broker that stops reading', () => {
  it('bounds what it holds, counts what it drops, and keeps answering Modbus', async () => {
    const broker = await stalledBroker();
    const meters = Array.from({ length: 200 }, (_, i) => meterSpec(`m${i}`, 2000 + i));
    const run: MqttPanel = await startMqttPanel({ url: `mqtt://127.0.0.1:${broker.port}`, prefix: 'slow', intervalS: 0.1, maxQueuedMessages: 300, discovery: false }, meters, manualClock(), 200);
    cleanup.push(() => run.panel.stop());
    await broker.connected;
    const publisher = run.panel.mqtt;
    if (publisher === undefined) throw new Error('no publisher');
    await publisher.whenConnected();

    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: run.portOf('m0') });
    client.setID(1);
    client.setTimeout(1000);
    let polls = 0;
    try {
      // Until the socket has pushed back long enough for the queue to overflow twice over.
      while (publisher.stats.dropped < 600) {
        const { data } = await client.readInputRegisters(0, 2);
        expect(data).toHaveLength(2);
        polls += 1;
        expect(publisher.stats.queued).toBeLessThanOrEqual(300);
      }
    } finally {
      client.close(() => undefined);
    }
    const stats = publisher.stats;
    expect(stats.connected).toBe(true);
    expect(stats.published).toBeGreaterThan(0);
    expect(polls).toBeGreaterThan(0);
    expect(stats.queued).toBeLessThanOrEqual(300);
    expect(stats.telemetryPublished + stats.queued + stats.dropped).toBeGreaterThanOrEqual(900);
  });
});
