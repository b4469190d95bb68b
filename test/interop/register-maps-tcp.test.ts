/**
 * Every profile served over a real TCP socket (our Modbus/TCP server, one unit per profile) and
 * read by independent clients: pymodbus (decoding with Python's struct), modbus-serial (decoding
 * with Buffer), mbpoll (libmodbus, decoding floats and int32 itself). Each decoded value must be
 * the snapshot's physical value within the register's resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModbusTcpServer } from '../../src/modbus/tcp/tcp-server.js';
import { UnitRouter } from '../../src/modbus/unit-router.js';
import type { ReadContext } from '../../src/registers/read-context.js';
import type { MappedRegister } from '../../src/registers/register-map.js';
import { RegisterMapDevice } from '../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../src/registers/profiles.js';
import { runTool, skipWithoutTool, toolAvailable } from '../support/external-tool.js';
import { FakeMeter } from '../support/fake-meter.js';
import { ModbusRTU } from '../support/modbus-serial.js';
import { resolution, siValue, toBigEndian } from '../support/register-decoding.js';

const UNITS: Array<[number, string, Record<string, number>]> = [
  [1, 'titan', {}],
  [2, 'sdm630', {}],
  [3, 'sunspec', {}],
  [4, 'em24', {}],
  [5, 'sunspec', { model: 213 }],
  [6, 'sdm72v2', {}],
  [7, 'fronius', {}],
  [8, 'fronius', { model: 203 }],
  [9, 'dtsu666', {}],
  [10, 'sdm120', {}],
  [11, 'abb-b23', {}],
  [12, 'iem3000', {}],
  [13, 'pac2200', {}],
  [14, 'umg604', {}],
];

const meter = new FakeMeter();
const devices = new Map(UNITS.map(([unit, profile, options]) => [unit, new RegisterMapDevice(loadRegisterMap(profile, options), meter)]));
const server = new ModbusTcpServer({ router: UnitRouter.gateway(devices) });
let port = 0;

const context: ReadContext = { snapshot: meter.snapshot(), eventIndex: 0, eventRecord: meter.eventRecord(0), profileIndex: 0, profileRecord: meter.profileRecord(0), unlocked: false };

/** Registers worth checking: numeric quantities in register tables. */
function numericRegisters(device: RegisterMapDevice): MappedRegister[] {
  return device.map.registers.filter((r) => (r.space === 'input' || r.space === 'holding') && r.type !== 'string' && r.source.kind === 'quantity');
}

function expectClose(register: MappedRegister, wire: number, label: string): void {
  if (register.source.kind !== 'quantity' || register.source.quantity.kind !== 'number') throw new Error('not numeric');
  const expected = register.source.quantity.get(context);
  const si = siValue(register, wire);
  expect(Math.abs(si - expected), `${label} ${register.name}: ${si} vs ${expected}`).toBeLessThanOrEqual(resolution(register, expected));
}

beforeAll(async () => {
  port = (await server.listen(0, '127.0.0.1')).port;
});
afterAll(async () => {
  await server.close();
});

const python = '/usr/bin/python3';
const hasPymodbus = toolAvailable(python, ['-c', 'import pymodbus']) && (await runTool(python, ['-c', 'import pymodbus'])).code === 0;

const pythonScript = String.raw`
import json, struct, sys
from pymodbus.client import ModbusTcpClient
port = int(sys.argv[1])
requests = json.loads(sys.argv[2])
formats = {'u16': '>H', 'i16': '>h', 'sunssf': '>h', 'u32': '>I', 'acc32': '>I', 'bitfield': '>I', 'i32': '>i', 'u64': '>Q', 'i64': '>q', 'f32': '>f', 'f64': '>d'}
c = ModbusTcpClient('127.0.0.1', port=port, timeout=5)
assert c.connect()
out = []
for unit, space, address, count, typ, order in requests:
    read = c.read_input_registers if space == 'input' else c.read_holding_registers
    r = read(address, count, slave=unit)
    if r.isError():
        out.append({'error': r.exception_code}); continue
    words = list(r.registers)
    if order in ('CDAB', 'DCBA'): words.reverse()
    raw = b''.join(struct.pack('>H', w) for w in words)
    if order in ('BADC', 'DCBA'): raw = b''.join(raw[i+1:i+2] + raw[i:i+1] for i in range(0, len(raw), 2))
    out.append({'value': struct.unpack(formats[typ], raw)[0]})
c.close()
print(json.dumps(out))
`;

describe.skipIf(skipWithoutTool(hasPymodbus))('pymodbus reads every profile over TCP', () => {
  for (const [unit, profile, options] of UNITS) {
    it(`${profile} ${JSON.stringify(options)} (unit ${unit})`, async () => {
      const device = devices.get(unit) as RegisterMapDevice;
      const registers = numericRegisters(device);
      const requests = registers.map((r) => [unit, r.space, r.address, r.length, r.type === 'bitfield' && r.length === 1 ? 'u16' : r.type, r.wordOrder]);
      const run = await runTool(python, ['-c', pythonScript, String(port), JSON.stringify(requests)], 60_000);
      expect(run.stderr).toBe('');
      const values = JSON.parse(run.stdout) as Array<{ value?: number; error?: number }>;
      expect(values).toHaveLength(registers.length);
      registers.forEach((r, i) => expectClose(r, values[i]?.value ?? Number.NaN, 'pymodbus'));
    });
  }
});

describe('modbus-serial reads every profile over TCP', () => {
  const client = new ModbusRTU();
  beforeAll(async () => {
    await client.connectTCP('127.0.0.1', { port });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  });

  for (const [unit, profile, options] of UNITS) {
    it(`${profile} ${JSON.stringify(options)} (unit ${unit})`, async () => {
      client.setID(unit);
      const device = devices.get(unit) as RegisterMapDevice;
      for (const r of numericRegisters(device)) {
        const answer = r.space === 'input' ? await client.readInputRegisters(r.address, r.length) : await client.readHoldingRegisters(r.address, r.length);
        const b = Buffer.from(toBigEndian(answer.buffer, r.wordOrder));
        const read: Record<string, () => number> = {
          u16: () => b.readUInt16BE(0), i16: () => b.readInt16BE(0), sunssf: () => b.readInt16BE(0), u32: () => b.readUInt32BE(0), acc32: () => b.readUInt32BE(0),
          i32: () => b.readInt32BE(0), u64: () => Number(b.readBigUInt64BE(0)), i64: () => Number(b.readBigInt64BE(0)), f32: () => b.readFloatBE(0), f64: () => b.readDoubleBE(0),
          bitfield: () => (b.length === 2 ? b.readUInt16BE(0) : b.readUInt32BE(0)),
        };
        const decode = read[r.type];
        if (decode === undefined) throw new Error(`no decoder for ${r.type}`);
        expectClose(r, decode(), 'modbus-serial');
      }
      // identification strings too (FC03/04 text registers)
      for (const r of device.map.registers.filter((x) => x.type === 'string' && x.source.kind === 'quantity')) {
        const answer = r.space === 'input' ? await client.readInputRegisters(r.address, r.length) : await client.readHoldingRegisters(r.address, r.length);
        const expected = r.source.kind === 'quantity' ? String(r.source.quantity.get(context)) : '';
        expect(answer.buffer.toString('latin1').replace(/\0+$/, '')).toBe(expected.slice(0, r.length * 2));
      }
    });
  }

  it('reads the device identification objects of the maps (FC43/14)', async () => {
    client.setID(2);
    expect((await client.readDeviceIdentification(1, 0)).data).toEqual({ 0: 'Eastron', 1: 'SDM630', 2: '1.2.3' });
    client.setID(1);
    const titan = await client.readDeviceIdentification(3, 0);
    expect(titan.data).toMatchObject({ 0: 'Submeter Labs', 1: 'Titan 3P', 2: '1.2.3', 128: 'SN 24051234' });
  });
});

const hasMbpoll = toolAvailable('mbpoll', ['-V']);

/** mbpoll prints "[ref]: \tvalue" per value. */
function polled(stdout: string): number[] {
  return [...stdout.matchAll(/^\[\d+\]:\s+(-?[\d.]+(?:e[+-]?\d+)?)/gm)].map((m) => Number(m[1]));
}

describe.skipIf(skipWithoutTool(hasMbpoll))('mbpoll (libmodbus) reads the compatibility layouts', () => {
  const base = (unit: number): string[] => ['-m', 'tcp', '-p', String(port), '-a', String(unit), '-1', '-0'];

  function register(unit: number, name: string): MappedRegister {
    const r = devices.get(unit)?.map.registers.find((x) => x.name === name);
    if (r === undefined) throw new Error(`no register ${name}`);
    return r;
  }

  it('sdm630: float32 big-endian words (-B) from the input registers', async () => {
    const run = await runTool('mbpoll', [...base(2), '-t', '3:float', '-B', '-r', '0', '-c', '6', '127.0.0.1']);
    expect(run.code).toBe(0);
    const values = polled(run.stdout);
    const names = ['Phase 1 line to neutral volts', 'Phase 2 line to neutral volts', 'Phase 3 line to neutral volts', 'Phase 1 current', 'Phase 2 current', 'Phase 3 current'];
    // mbpoll prints 6 significant digits
    names.forEach((n, i) => {
      const r = register(2, n);
      const expected = r.source.kind === 'quantity' && r.source.quantity.kind === 'number' ? r.source.quantity.get(context) : Number.NaN;
      expect(Math.abs((values[i] ?? Number.NaN) - expected), n).toBeLessThan(5e-6 * Math.abs(expected) + 1e-4);
    });
    const energy = polled((await runTool('mbpoll', [...base(2), '-t', '3:float', '-B', '-r', '72', '-c', '2', '127.0.0.1'])).stdout);
    expect(energy[0]).toBeCloseTo(1234.57, 1);
    expect(energy[1]).toBeCloseTo(45.6789, 3);
  });

  it('em24: int32 low word first (mbpoll default word order) with fixed-point scales', async () => {
    const run = await runTool('mbpoll', [...base(4), '-t', '3:int', '-r', '0', '-c', '3', '127.0.0.1']);
    expect(run.code).toBe(0);
    const names = ['V L1-N', 'V L2-N', 'V L3-N'];
    polled(run.stdout).forEach((wire, i) => expectClose(register(4, names[i] ?? ''), wire, 'mbpoll'));
    const p = polled((await runTool('mbpoll', [...base(4), '-t', '3:int', '-r', '40', '-c', '1', '127.0.0.1'])).stdout);
    expectClose(register(4, 'W sys'), p[0] ?? Number.NaN, 'mbpoll');
    const hz = polled((await runTool('mbpoll', [...base(4), '-t', '3', '-r', '55', '-c', '1', '127.0.0.1'])).stdout);
    expectClose(register(4, 'Hz'), hz[0] ?? Number.NaN, 'mbpoll');
  });

  it('sunspec: the SunS marker and the model chain; an unmapped address answers exception 02', async () => {
    const hex = await runTool('mbpoll', [...base(3), '-t', '4:hex', '-r', '40000', '-c', '4', '127.0.0.1']);
    expect([...hex.stdout.matchAll(/^\[\d+\]:\s+0x([0-9A-F]{4})/gm)].map((m) => m[1])).toEqual(['5375', '6E53', '0001', '0042']);
    const end = polled((await runTool('mbpoll', [...base(3), '-t', '4', '-r', '40177', '-c', '2', '127.0.0.1'])).stdout);
    expect(end).toEqual([65535, 0]);
    const bad = await runTool('mbpoll', [...base(3), '-t', '4', '-r', '39990', '-c', '2', '127.0.0.1']);
    expect(bad.stdout + bad.stderr).toMatch(/Illegal data address/i);
  });

  it('titan: float32 and the relay coil', async () => {
    const run = await runTool('mbpoll', [...base(1), '-t', '3:float', '-B', '-r', '76', '-c', '1', '127.0.0.1']);
    expect(polled(run.stdout)[0]).toBeCloseTo(49.987, 3);
    const coil = polled((await runTool('mbpoll', [...base(1), '-t', '0', '-r', '0', '-c', '1', '127.0.0.1'])).stdout);
    expect(coil).toEqual([1]);
  });
});
