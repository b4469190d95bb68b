/**
 * A real Prometheus (Debian's `prometheus`, its own config, a free port, storage in a temp dir)
 * scrapes /metrics of the real `submeter serve --control`; its HTTP API then answers a meter's
 * power and the request counters of Modbus reads made by modbus-serial. `promtool check metrics`
 * passes on our output. Skips outside CI when prometheus is missing; fails under CI=true.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killCliChildren, runCli, type CliRun } from '../support/cli-runner.js';
import { skipWithoutTool, toolAvailable } from '../support/external-tool.js';
import { ModbusRTU } from '../support/modbus-serial.js';

const available = toolAvailable('prometheus') && toolAvailable('promtool');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(skipWithoutTool(available))('Prometheus scrapes /metrics', () => {
  let serve: CliRun;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let controlUrl = '';
  let modbusPort = 0;
  let prometheusUrl = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'submeter-prometheus-'));
    serve = runCli(['serve', '--profile', 'sdm630', '--tcp', '127.0.0.1:0', '--control', '127.0.0.1:0']);
    modbusPort = Number((await serve.waitFor(/modbus\/tcp 127\.0\.0\.1:(\d+)/))[1]);
    controlUrl = (await serve.waitFor(/control API (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: submeter\n    static_configs:\n      - targets: ['${new URL(controlUrl).host}']\n`,
    );
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: 'ignore' });
  }, 60_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await serve.stop();
    killCliChildren();
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<QueryAnswer['data']['result']> {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const answer = (await response.json()) as QueryAnswer;
    return answer.data.result;
  }

  it('answers a meter power and the Modbus request counters from its own scrapes', async () => {
    const client = new ModbusRTU();
    await client.connectTCP('127.0.0.1', { port: modbusPort });
    client.setID(1);
    for (let i = 0; i < 7; i++) await client.readInputRegisters(0, 6); // FC04: L1..L3 voltage
    await new Promise<void>((resolve) => client.close(() => resolve()));

    await expect
      .poll(async () => {
        try {
          return (await query('submeter_modbus_requests_total{function_code="4"}'))[0]?.value[1];
        } catch {
          return undefined; // Prometheus still starting
        }
      }, { timeout: 40_000, interval: 500 })
      .toBe('7');
    const [power] = await query('submeter_meter_active_power_watts{meter="meter",phase="2"}');
    // office: 230 V x 20 A (rms with harmonics) at PF 0.92 of the fundamental: about 4.2 kW a phase
    expect(Number(power?.value[1])).toBeGreaterThan(3500);
    expect(Number(power?.value[1])).toBeLessThan(4600);
    const [voltage] = await query('submeter_meter_voltage_volts{meter="meter",phase="1"}');
    expect(Number(voltage?.value[1])).toBeCloseTo(230, 0);
    const [up] = await query('up{job="submeter"}');
    expect(up?.value[1]).toBe('1');
  }, 60_000);

  it('promtool check metrics passes on /metrics', async () => {
    const text = await (await fetch(`${controlUrl}/metrics`)).text();
    expect(text).toMatch(/^submeter_meter_active_energy_import_joules_total\{meter="meter"\} \d/m);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
