/**
 * Noise on the RS485 pair against the built `submeter serve --rtu` on a pty: 200 bursts of random
 * bytes (seeded), each followed by a silence longer than t3.5, then the FC08 counters read back.
 * Garbage is never a bus message (0B counts frames whose CRC checks); each burst is one
 * communication error (0C). Before the fix: 0B rose by 195 and 0C by 19 for 200 such bursts.
 */
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, describe, expect, it } from 'vitest';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../src/modbus/rtu/virtual-serial-pair.js';
import { skipWithoutTool } from '../support/external-tool.js';
import { killServers, runBuiltCli } from '../support/hostile-serve.js';
import { socatAvailable } from '../support/rtu-pty.js';
import { SeededRandom } from '../../src/common/seeded-random.js';
import { withCrc } from '../support/rtu-frames.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-hostile-fc08-'));
chmodSync(scratch, 0o755);
let pair: VirtualSerialPair | undefined;
let port: SerialPort | undefined;
afterAll(async () => {
  if (port?.isOpen === true) await new Promise<void>((resolve) => port?.close(() => resolve()));
  killServers();
  await pair?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const BURSTS = 200;
/** A pause well over t3.5 (1.75 ms at 19200 baud), so each burst is a frame of its own on the line. */
const SILENCE_MS = 30;

describe.skipIf(skipWithoutTool(socatAvailable))('random bytes on the bus', () => {
  it(`${BURSTS} bursts of noise: no bus message, one communication error per burst`, async () => {
    pair = await openVirtualSerialPair({ linkA: join(scratch, 'meter'), linkB: join(scratch, 'master') });
    const serve = runBuiltCli(['serve', '--profile', 'titan', '--rtu', pair.pathA, '--baud', '19200', '--parity', 'even', '--unit', '1']);
    const opened = new SerialPort({ path: pair.pathB, baudRate: 19200, parity: 'even', autoOpen: false });
    port = opened;
    await new Promise<void>((resolve, reject) => opened.open((error) => (error ? reject(error) : resolve())));
    let received = Buffer.alloc(0);
    opened.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
    const send = async (bytes: Uint8Array): Promise<void> => {
      await new Promise<void>((resolve, reject) => opened.write(Buffer.from(bytes), (error) => (error ? reject(error) : resolve())));
      await new Promise<void>((resolve, reject) => opened.drain((error) => (error ? reject(error) : resolve())));
    };
    const counter = async (subFunction: number): Promise<number> => {
      received = Buffer.alloc(0);
      await send(withCrc([1, 0x08, 0, subFunction, 0, 0]));
      while (received.length < 8) await once(opened, 'data');
      return received.readUInt16BE(4);
    };
    // The server is ready when it has printed its summary.
    for (;;) {
      if (/modbus\/rtu/.test(serve.stdout())) break;
      await once(serve.child.stdout as NodeJS.ReadableStream, 'data');
    }
    await counter(0x0a); // clear counters: from here on, only what this test sends
    const random = new SeededRandom(1313);
    for (let i = 0; i < BURSTS; i += 1) {
      await send(Uint8Array.from(random.bytes(random.int(1, 40))));
      await new Promise((resolve) => setTimeout(resolve, SILENCE_MS));
    }
    const busMessages = await counter(0x0b); // counts itself
    const errors = await counter(0x0c);
    const serverMessages = await counter(0x0e); // the three queries
    expect({ busMessages, serverMessages }).toEqual({ busMessages: 1, serverMessages: 3 });
    // Each burst is one bad frame (200 on an idle machine); a loaded machine may read two bursts in
    // one go, without the silence between them (the exact count is checked with an injected clock
    // in test/unit/modbus/rtu/fc08-counters.test.ts).
    expect(errors).toBeGreaterThanOrEqual(BURSTS / 2);
    expect(errors).toBeLessThanOrEqual(BURSTS);
    serve.child.kill('SIGTERM');
    expect(await serve.exit).toBe(0);
  }, 60_000);
});
