/**
 * HTTP outputs benchmark (issue 16), picked up by run-all.ts like every *.bench.ts:
 * 1. Live stream: `submeter serve --count 10 --gateway --control` in its own process; its CPU
 *    over 5 s idle, then over 5 s with 10 dashboard pages open (10 Server-Sent Event streams, one
 *    meter view each at the default 500 ms, plus one fleet page). Target: the 10 pages cost
 *    < 5 % of a core.
 * 2. /metrics: a panel of 1,000 meters in this process, every meter with its own series
 *    (perMeterLimit 1,000, the worst case); render time of the exposition text, median of 20.
 *    Target < 50 ms.
 *
 * 3. Fleet page for 10,000 meters: time to build one page of 50 rows (all meters, and a search).
 *
 * Run: npm run build && node --import tsx scripts/bench/http.bench.ts
 * Numbers on the shared 2-core machine are noisy (other engineers' tests run at the same time).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { panelMetrics } from '../../src/metrics/panel-metrics.js';
import { fleetPage, meterSummaries } from '../../src/dashboard/live-views.js';
import { panelFromFlags } from '../../src/runtime/config/panel-from-flags.js';
import { startPanel } from '../../src/runtime/panel.js';

const built = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const source = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const ticksPerSecond = 100; // Linux USER_HZ

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function cpuShare(pid: number, ms: number): Promise<number> {
  const before = cpuTicks(pid);
  await sleep(ms);
  return (cpuTicks(pid) - before) / ticksPerSecond / (ms / 1000);
}

async function liveStream(): Promise<void> {
  const args = ['serve', '--profile', 'sdm630', '--count', '10', '--gateway', '--tcp', '127.0.0.1:0', '--control', '127.0.0.1:0'];
  const child = existsSync(built) ? spawn(process.execPath, [built, ...args]) : spawn(process.execPath, ['--import', 'tsx', source, ...args]);
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /control API (http:\/\/\S+)/.exec(out);
      if (match?.[1] !== undefined && /ready in/.test(out)) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const pid = child.pid ?? 0;
  await sleep(2000);
  const idle = await cpuShare(pid, 5000);
  const streams: ClientRequest[] = [];
  let bytes = 0;
  let messages = 0;
  const { meters } = (await (await fetch(`${url}/meters`)).json()) as { meters: { id: string }[] };
  const paths = [...meters.slice(0, 10).map((m) => `/live/meter?id=${encodeURIComponent(m.id)}`), '/live/fleet'];
  for (const path of paths) {
    const req = request(`${url}${path}`, (res) => {
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        messages += chunk.toString().split('\n\n').length - 1;
      });
    });
    req.on('error', () => undefined);
    req.end();
    streams.push(req);
  }
  await sleep(1000);
  const startBytes = bytes;
  const startMessages = messages;
  const open = await cpuShare(pid, 5000);
  const rate = (messages - startMessages) / 5;
  for (const req of streams) req.destroy();
  child.kill('SIGTERM');
  console.log('live stream (10 meter pages + 1 fleet page, serve --count 10 in its own process)');
  console.log(`  idle CPU          ${(idle * 100).toFixed(2)} % of a core`);
  console.log(`  with 11 streams   ${(open * 100).toFixed(2)} % of a core  -> streams cost ${((open - idle) * 100).toFixed(2)} % (target < 5 %)`);
  console.log(`  sent              ${rate.toFixed(1)} messages/s, ${((bytes - startBytes) / 5 / 1024).toFixed(1)} KiB/s`);
}

async function metricsRender(): Promise<void> {
  const panel = await startPanel(panelFromFlags({ profile: 'sdm630', count: 1000, gateway: true, tcp: '127.0.0.1:0' }), { tickMs: 200 });
  try {
    const metrics = panelMetrics(panel, { perMeterLimit: 1000 });
    await metrics.render();
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      size = (await metrics.render()).length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const limited = panelMetrics(panel);
    const startLimited = performance.now();
    const limitedSize = (await limited.render()).length;
    const limitedMs = performance.now() - startLimited;
    console.log('/metrics render, 1,000 meters');
    console.log(`  every meter with series: median ${(times[10] ?? 0).toFixed(1)} ms, best ${(times[0] ?? 0).toFixed(1)} ms, ${(size / 1024).toFixed(0)} KiB (target < 50 ms)`);
    console.log(`  default limit (100):     ${limitedMs.toFixed(1)} ms, ${(limitedSize / 1024).toFixed(0)} KiB`);
  } finally {
    await panel.stop();
  }
}

async function fleetPages(): Promise<void> {
  const panel = await startPanel(panelFromFlags({ profile: 'sdm630', count: 10_000, gateway: true, tcp: '127.0.0.1:0' }), { tickMs: 1000, control: { port: 0 } });
  try {
    const controller = panel.control?.controller;
    const summaries = meterSummaries(controller);
    const time = (query: string, page: number): number => {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        JSON.stringify(fleetPage(panel, controller, summaries, query, page, 50));
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[5] ?? 0;
    };
    console.log('fleet page, 10,000 meters, 50 rows (median of 10)');
    console.log(`  page 1:               ${time('', 0).toFixed(1)} ms`);
    console.log(`  page 150:             ${time('', 150).toFixed(1)} ms`);
    console.log(`  search "meter-0999":  ${time('meter-0999', 0).toFixed(1)} ms`);
  } finally {
    await panel.stop();
  }
}

await liveStream();
await metricsRender();
await fleetPages();
