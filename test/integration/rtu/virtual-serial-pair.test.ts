import { once } from 'node:events';
import { existsSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterAll, describe, expect, it } from 'vitest';
import { SocatMissingError, openVirtualSerialPair } from '../../../src/modbus/rtu/virtual-serial-pair.js';
import { skipWithoutTool } from '../../support/external-tool.js';
import { socatAvailable } from '../../support/rtu-pty.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-vpair-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 19200, autoOpen: false });
  return new Promise((resolve, reject) => port.open((error) => (error ? reject(error) : resolve(port))));
}

describe('openVirtualSerialPair', () => {
  it('names the Debian package when socat is missing', async () => {
    const attempt = openVirtualSerialPair({ socat: join(scratch, 'no-socat-here') });
    await expect(attempt).rejects.toBeInstanceOf(SocatMissingError);
    await expect(attempt).rejects.toThrow(/apt-get install socat/);
  });

  it.skipIf(skipWithoutTool(socatAvailable))('links two ptys that carry bytes both ways; close removes the links', async () => {
    const linkA = join(scratch, 'a');
    const linkB = join(scratch, 'b');
    const pair = await openVirtualSerialPair({ linkA, linkB });
    expect(pair.pathA).toBe(linkA);
    expect(readlinkSync(linkA)).toBe(pair.ptyA);
    expect(readlinkSync(linkB)).toBe(pair.ptyB);
    const a = await openPort(pair.pathA);
    const b = await openPort(pair.pathB);
    try {
      const arrivedAtB = once(b, 'data');
      a.write(Buffer.from([1, 2, 3]));
      expect([...((await arrivedAtB) as [Buffer])[0]]).toEqual([1, 2, 3]);
      const arrivedAtA = once(a, 'data');
      b.write(Buffer.from([0xfe]));
      expect([...((await arrivedAtA) as [Buffer])[0]]).toEqual([0xfe]);
    } finally {
      await new Promise<void>((resolve) => a.close(() => resolve()));
      await new Promise<void>((resolve) => b.close(() => resolve()));
      await pair.close();
    }
    expect(existsSync(linkA) || existsSync(linkB)).toBe(false);
    await pair.close(); // idempotent
  });

  it('refuses link paths socat would misparse', async () => {
    await expect(openVirtualSerialPair({ linkA: '/tmp/a,b' })).rejects.toThrow(/must not contain/);
  });
});
