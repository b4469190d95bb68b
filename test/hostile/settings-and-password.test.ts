/**
 * Attacks on settings and the settings password against the built `submeter serve`, with a
 * third-party client (modbus-serial) over real sockets:
 * - SIGKILL right after the FC16 answer of a setting write, several times: the setting survives;
 * - a brute-force search of the titan password over one connection;
 * - an unlock on one connection used from another; the load relay written without the password;
 * - the lockout logged in the meter's event log and lifted after 60 s of meter time.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_KIND_CODES } from '../../src/registers/event-kind-codes.js';
import { killServers, runBuiltCli } from '../support/hostile-serve.js';
import { ModbusRTU } from '../support/modbus-serial.js';

const scratch = mkdtempSync(join(tmpdir(), 'submeter-hostile-settings-'));
chmodSync(scratch, 0o755);
const clients: Array<InstanceType<typeof ModbusRTU>> = [];
afterAll(() => {
  for (const client of clients) client.close(() => undefined);
  killServers();
  rmSync(scratch, { recursive: true, force: true });
});

const TITAN_PASSWORD = 1234;
const CT_RATIO = 0x0001;
const LATEST_EVENT_KIND = 0x0513;

async function connect(port: number): Promise<InstanceType<typeof ModbusRTU>> {
  const client = new ModbusRTU();
  clients.push(client);
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  client.setTimeout(2000);
  return client;
}

function f32Words(value: number): number[] {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return [view.getUint16(0), view.getUint16(2)];
}

function f32Of(words: number[]): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint16(0, words[0] ?? 0);
  view.setUint16(2, words[1] ?? 0);
  return view.getFloat32(0);
}

/** The Modbus exception code a request was answered with, or undefined when it succeeded. */
async function exceptionOf(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
    return undefined;
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'modbusCode' in error && typeof error.modbusCode === 'number') return error.modbusCode;
    throw error;
  }
}

describe('a setting is on disk before its answer', () => {
  it('SIGKILL right after the FC16 answer, 5 times: every setting survives the restart', async () => {
    const dir = join(scratch, 'durable');
    const kept: Array<[number, number]> = [];
    for (let round = 1; round <= 5; round += 1) {
      const run = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--state', dir]);
      const port = await run.ready();
      const client = await connect(port);
      if (round > 1) kept.push([round - 1, f32Of((await client.readHoldingRegisters(CT_RATIO, 2)).data)]);
      await client.writeRegisters(0x0000, [TITAN_PASSWORD]);
      await client.writeRegisters(CT_RATIO, f32Words(100 + round));
      run.child.kill('SIGKILL'); // the answer arrived: the process dies now, nothing else is saved
      await run.exit;
      client.close(() => undefined);
    }
    const last = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--state', dir]);
    const client = await connect(await last.ready());
    kept.push([5, f32Of((await client.readHoldingRegisters(CT_RATIO, 2)).data)]);
    last.child.kill('SIGTERM');
    expect(await last.exit).toBe(0);
    expect(kept).toEqual([1, 2, 3, 4, 5].map((round) => [round, 100 + round]));
  }, 120_000);
});

describe('the settings password', () => {
  it('a brute-force search over one connection does not find it: after 5 wrong tries every unlock is refused', async () => {
    const run = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0']);
    const client = await connect(await run.ready());
    let acceptedAt: number | undefined;
    for (let candidate = 1; candidate <= 1300 && acceptedAt === undefined; candidate += 1) {
      if ((await exceptionOf(client.writeRegisters(0x0000, [candidate]))) === undefined) acceptedAt = candidate;
    }
    expect(acceptedAt).toBeUndefined(); // before: unlocked at candidate 1234
    expect((await client.readInputRegisters(LATEST_EVENT_KIND, 1)).data[0]).toBe(EVENT_KIND_CODES['password-lockout']);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 120_000);

  it('an unlock belongs to its connection; the load relay needs it; a lockout lifts after 60 s of meter time', async () => {
    const run = runBuiltCli(['serve', '--profile', 'titan', '--tcp', '127.0.0.1:0', '--speed', '60']);
    const port = await run.ready();
    const a = await connect(port);
    const b = await connect(port);
    await a.writeRegisters(0x0000, [TITAN_PASSWORD]);
    expect((await a.readHoldingRegisters(0x0000, 1)).data).toEqual([1]);
    expect((await b.readHoldingRegisters(0x0000, 1)).data).toEqual([0]);
    expect(await exceptionOf(b.writeRegisters(CT_RATIO, f32Words(40)))).toBe(3);
    expect(await exceptionOf(b.writeCoil(0, false))).toBe(3); // coil 0: the load relay
    expect(await exceptionOf(b.writeRegister(34, 0))).toBe(3); // holding 34: the relay again
    expect((await b.readCoils(0, 1)).data[0]).toBe(true);
    await a.writeRegisters(CT_RATIO, f32Words(40));
    await a.writeCoil(0, false);
    expect((await b.readCoils(0, 1)).data[0]).toBe(false);
    // Five wrong passwords on b lock the password out for everyone, a's unlock included.
    for (let i = 0; i < 5; i += 1) expect(await exceptionOf(b.writeRegisters(0x0000, [4000 + i]))).toBe(3);
    expect(await exceptionOf(b.writeRegisters(0x0000, [TITAN_PASSWORD]))).toBe(3);
    expect(await exceptionOf(a.writeRegisters(CT_RATIO, f32Words(50)))).toBe(3);
    const lockedAt = performance.now();
    // At --speed 60 the 60 s lockout of meter time is 1 s of real time.
    while ((await exceptionOf(b.writeRegisters(0x0000, [TITAN_PASSWORD]))) !== undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    const lockedForMs = performance.now() - lockedAt;
    expect(lockedForMs).toBeGreaterThan(700);
    expect(lockedForMs).toBeLessThan(5_000);
    await b.writeRegisters(CT_RATIO, f32Words(50));
    expect(f32Of((await a.readHoldingRegisters(CT_RATIO, 2)).data)).toBe(50);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  }, 60_000);
});
