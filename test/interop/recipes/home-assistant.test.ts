/**
 * The Home Assistant recipe (docs/integrations/home-assistant.md) as Home Assistant would run it:
 * its `modbus:` YAML block taken from the page, the meter served by the page's own command (on a
 * free port), every sensor read with pymodbus (the library Home Assistant's modbus integration is
 * built on) by the sensor's own input_type, address, data_type and slave, and compared with what
 * the meter's map says that register holds on the wire (`submeter read --json`, raw value and unit) and with the physics of the
 * served scenario.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runTool, skipWithoutTool, toolAvailable } from '../../support/external-tool.js';

const run = promisify(execFile);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(repoRoot, 'dist', 'cli', 'main.js');
const page = readFileSync(join(repoRoot, 'docs', 'integrations', 'home-assistant.md'), 'utf8');

interface HaSensor {
  name: string;
  slave: number;
  address: number;
  input_type: 'input' | 'holding';
  data_type: string;
  unit_of_measurement?: string;
  state_class?: string;
  device_class?: string;
}
interface HaHub {
  name: string;
  type: string;
  host: string;
  port: number;
  sensors: HaSensor[];
}

function recipe(): { serveArgs: string[]; hub: HaHub } {
  const serveLine = /^submeter (serve [^\n#]*)/m.exec(page)?.[1];
  const yamlBlock = /```yaml\n([\s\S]*?)```/.exec(page)?.[1];
  if (serveLine === undefined || yamlBlock === undefined) throw new Error('the recipe page lost its command or its YAML block');
  const config = parse(yamlBlock) as { modbus: HaHub[] };
  const hub = config.modbus[0];
  if (hub === undefined) throw new Error('no modbus hub in the recipe');
  return { serveArgs: serveLine.trim().split(/\s+/), hub };
}

const python = '/usr/bin/python3';
const hasPymodbus = toolAvailable(python, ['-c', 'import pymodbus']) && (await runTool(python, ['-c', 'import pymodbus'])).code === 0;

/** Home Assistant's data types (no swap: big-endian words, high word first). */
const haReader = String.raw`
import json, struct, sys
from pymodbus.client import ModbusTcpClient
host, port, sensors = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
formats = {'int16': ('>h', 1), 'uint16': ('>H', 1), 'int32': ('>i', 2), 'uint32': ('>I', 2), 'float32': ('>f', 2), 'int64': ('>q', 4), 'uint64': ('>Q', 4), 'float64': ('>d', 4)}
c = ModbusTcpClient(host, port=port, timeout=5)
assert c.connect()
out = []
for s in sensors:
    fmt, count = formats[s['data_type']]
    read = c.read_input_registers if s['input_type'] == 'input' else c.read_holding_registers
    r = read(s['address'], count, slave=s['slave'])
    if r.isError():
        out.append({'name': s['name'], 'error': r.exception_code}); continue
    raw = b''.join(struct.pack('>H', w) for w in r.registers)
    out.append({'name': s['name'], 'value': struct.unpack(fmt, raw)[0]})
c.close()
print(json.dumps(out))
`;

let server: ChildProcess | undefined;
let port = 0;

beforeAll(async () => {
  const { serveArgs } = recipe();
  const args = serveArgs.map((arg) => (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(arg) ? '127.0.0.1:0' : arg)).filter((arg, index, all) => arg !== '--state' && all[index - 1] !== '--state');
  server = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = once(server, 'exit');
  while (!/ready in/.test(out)) {
    const stdout = server.stdout;
    if (stdout === null) throw new Error('serve has no stdout');
    const next = await Promise.race([once(stdout, 'data').then(() => 'data'), exited.then(() => 'exit')]);
    if (next === 'exit') throw new Error(`serve exited before ready: ${out}`);
  }
  port = Number(/modbus\/tcp 127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
}, 30_000);

afterAll(() => {
  if (server !== undefined && server.exitCode === null) server.kill('SIGKILL');
});

describe.skipIf(skipWithoutTool(hasPymodbus))('Home Assistant recipe, read by pymodbus', () => {
  it('serves an sdm630 on the page command and every sensor reads the register the map names', async () => {
    const { serveArgs, hub } = recipe();
    expect(serveArgs).toContain('sdm630');
    expect(hub.type).toBe('tcp');
    expect(hub.sensors.length).toBeGreaterThanOrEqual(8);

    const ha = await run(python, ['-c', haReader, '127.0.0.1', String(port), JSON.stringify(hub.sensors)]);
    const readings = JSON.parse(ha.stdout) as Array<{ name: string; value?: number; error?: number }>;
    const mapped = await run(process.execPath, [cli, 'read', '--profile', 'sdm630', '--tcp', `127.0.0.1:${port}`, '--json'], { maxBuffer: 16 * 1024 * 1024 });
    const byAddress = new Map(
      (JSON.parse(mapped.stdout) as { values: Array<{ space: string; address: number; raw: number; rawUnit: string }> }).values.map((entry) => [
        `${entry.space}:${entry.address}`,
        entry,
      ]),
    );

    for (const [index, sensor] of hub.sensors.entries()) {
      const reading = readings[index];
      expect(reading?.error, `${sensor.name} answered an exception`).toBeUndefined();
      const value = reading?.value ?? Number.NaN;
      const register = byAddress.get(`${sensor.input_type}:${sensor.address}`);
      expect(register, `${sensor.name}: the sdm630 map has a register at ${sensor.input_type} ${sensor.address}`).toBeDefined();
      if (register === undefined) continue;
      expect(register.rawUnit, `${sensor.name} unit`).toBe(sensor.unit_of_measurement ?? '');
      // Read a moment apart: the office load's seeded noise and the energy counter move a little.
      const tolerance = sensor.state_class === 'total_increasing' ? 0.01 : Math.max(0.01, Math.abs(register.raw) * 0.02);
      expect(Math.abs(value - register.raw), `${sensor.name}: HA ${value} vs map ${register.raw}`).toBeLessThanOrEqual(tolerance);
    }

    const valueOf = (name: string): number => readings.find((reading) => reading.name === name)?.value ?? Number.NaN;
    for (const phase of [1, 2, 3]) {
      expect(valueOf(`Submeter L${phase} voltage`)).toBeGreaterThan(0.9 * 230);
      expect(valueOf(`Submeter L${phase} voltage`)).toBeLessThan(1.1 * 230);
    }
    expect(valueOf('Submeter frequency')).toBeCloseTo(50, 1);
    expect(valueOf('Submeter power')).toBeGreaterThan(0);
    expect(valueOf('Submeter power factor')).toBeGreaterThan(0);
    expect(valueOf('Submeter power factor')).toBeLessThanOrEqual(1);
    expect(valueOf('Submeter energy export')).toBe(0);
  }, 30_000);

  it('energy sensors never decrease between two polls (total_increasing)', async () => {
    const { hub } = recipe();
    const energy = hub.sensors.filter((sensor) => sensor.state_class === 'total_increasing');
    expect(energy.length).toBeGreaterThanOrEqual(2);
    const first = JSON.parse((await run(python, ['-c', haReader, '127.0.0.1', String(port), JSON.stringify(energy)])).stdout) as Array<{ value: number }>;
    const second = JSON.parse((await run(python, ['-c', haReader, '127.0.0.1', String(port), JSON.stringify(energy)])).stdout) as Array<{ value: number }>;
    first.forEach((reading, index) => expect(second[index]?.value ?? Number.NaN).toBeGreaterThanOrEqual(reading.value));
    expect(first[0]?.value ?? 0).toBeGreaterThan(0);
  }, 30_000);
});
