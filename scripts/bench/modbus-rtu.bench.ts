/**
 * Modbus RTU turnaround on a pty: the time from the last request byte to the first response byte,
 * p50 and p99, for submeter's RTU server and modbus-serial's ServerSerial, each in its own child
 * process on its own socat pty pair, polled by this process with a bare master (FC03, 60 registers
 * from unit 1). Printed beside the wire time of the same exchange at 9600, 19200 and 115200 baud.
 *
 * A pty carries bytes instantly whatever the baud rate, so the turnaround measured here is the
 * server's reaction time (plus two socat relays and this process's event loop, the same for both
 * servers); on a real line it adds to the wire time. Target: p99 <= t3.5 + 2 ms, no lost frames.
 *
 * modbus-serial's ServerSerial splits frames by a silence timer (`interval`, default 30 ms); it is
 * measured at its default and tuned to t3.5 rounded up to whole ms (its best setting).
 *
 *   node --import tsx scripts/bench/modbus-rtu.bench.ts [--requests N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { crc16Modbus } from '../../src/modbus/framing/crc16.js';
import { interFrameSilenceMs, wireTimeMs } from '../../src/modbus/rtu/rtu-timing.js';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../src/modbus/rtu/virtual-serial-pair.js';

const here = dirname(fileURLToPath(import.meta.url));
const serverScript = join(here, 'support', 'rtu-bench-server.ts');
const requestsArg = process.argv.indexOf('--requests');
const requests = requestsArg > 0 ? Number(process.argv[requestsArg + 1]) : 1000;
const warmup = 100;
const quantity = 60;
const bauds = [9600, 19200, 115200];
const requestBytes = 8;
const responseBytes = 5 + 2 * quantity;

interface Result {
  label: string;
  baud: number;
  count: number;
  turnaround: number[];
  exchange: number[];
  lost: number;
  bad: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function request(): Buffer {
  const frame = Buffer.from([1, 0x03, 0x00, 0x00, 0x00, quantity, 0, 0]);
  const crc = crc16Modbus(frame, 0, 6);
  frame[6] = crc & 0xff;
  frame[7] = crc >>> 8;
  return frame;
}

function responseIsRight(response: Buffer): boolean {
  if (response.length !== responseBytes || response[0] !== 1 || response[1] !== 3 || response[2] !== 2 * quantity) return false;
  const crc = crc16Modbus(response, 0, responseBytes - 2);
  if (response.readUInt16LE(responseBytes - 2) !== crc) return false;
  for (let i = 0; i < quantity; i += 1) if (response.readUInt16BE(3 + 2 * i) !== 10000 + i) return false;
  return true;
}

async function startServer(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  while (!out.includes('ready')) {
    const [chunk] = (await Promise.race([once(child.stdout ?? child, 'data'), once(child, 'exit').then(() => [Buffer.from('exit')])])) as [Buffer];
    out += chunk.toString();
    if (out.includes('exit') && !out.includes('ready')) throw new Error(`bench server ${args.join(' ')} exited before it was ready`);
  }
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Polls `count` times (after a warm-up); one request in flight. */
async function poll(path: string, baud: number, label: string, count: number): Promise<Result> {
  const port = new SerialPort({ path, baudRate: baud, parity: 'even', autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const frame = request();
  const result: Result = { label, baud, count, turnaround: [], exchange: [], lost: 0, bad: 0 };
  let received = Buffer.alloc(0);
  let sentAt = 0;
  let firstByteAt = 0;
  let settle: ((complete: boolean) => void) | undefined;
  port.on('data', (chunk: Buffer) => {
    if (received.length === 0) firstByteAt = performance.now();
    received = Buffer.concat([received, chunk]);
    if (received.length >= responseBytes) settle?.(true);
  });
  for (let i = 0; i < warmup + count; i += 1) {
    received = Buffer.alloc(0);
    const answered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 1000);
      settle = (complete) => {
        clearTimeout(timer);
        resolve(complete);
      };
    });
    sentAt = performance.now();
    // the pty takes the whole frame in one write: its last byte is there when write() returns
    port.write(frame);
    const complete = await answered;
    const doneAt = performance.now();
    if (i < warmup) continue;
    if (!complete) {
      result.lost += 1;
      continue;
    }
    if (!responseIsRight(received)) result.bad += 1;
    result.turnaround.push(firstByteAt - sentAt);
    result.exchange.push(doneAt - sentAt);
  }
  await new Promise<void>((resolve) => port.close(() => resolve()));
  result.turnaround.sort((a, b) => a - b);
  result.exchange.sort((a, b) => a - b);
  return result;
}

async function measure(label: string, serverArgs: (path: string) => string[], baud: number, count: number): Promise<Result> {
  const pair: VirtualSerialPair = await openVirtualSerialPair();
  let server: ChildProcess | undefined;
  try {
    server = await startServer(serverArgs(pair.pathA));
    return await poll(pair.pathB, baud, label, count);
  } finally {
    if (server !== undefined) await stopServer(server);
    await pair.close();
  }
}

const results: Result[] = [];
for (const baud of bauds) {
  const t35 = interFrameSilenceMs(baud);
  results.push(await measure('submeter', (path) => ['submeter', path, String(baud)], baud, requests));
  const tuned = Math.max(1, Math.ceil(t35));
  results.push(await measure(`modbus-serial (interval ${tuned} ms)`, (path) => ['modbus-serial', path, String(baud), String(tuned)], baud, requests));
}
// modbus-serial at its default 30 ms interval: fewer requests, it takes 30 ms each
results.push(await measure('modbus-serial (default 30 ms)', (path) => ['modbus-serial', path, '19200', '30'], 19200, Math.min(requests, 200)));

const fmt = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(3) : '-');
console.log(`Modbus RTU on a socat pty, FC03 read of ${quantity} registers (${requestBytes}-byte request, ${responseBytes}-byte response), one request in flight.`);
console.log('Numbers taken on a shared 2-core machine are noisy; compare the rows of one run.');
console.log('');
console.log(
  ['baud', 'server', 'n', 'turnaround p50 ms', 'p99 ms', 'max ms', 'exchange p50 ms', 't3.5 ms', 'target p99 <= ms', 'within target %', 'wire time ms', 'lost', 'bad', 'p99 ok'].join(' | '),
);
for (const r of results) {
  const t35 = interFrameSilenceMs(r.baud);
  const wire = wireTimeMs(requestBytes + responseBytes, r.baud) + 2 * t35;
  const p99 = percentile(r.turnaround, 99);
  console.log(
    [
      r.baud,
      r.label,
      r.count,
      fmt(percentile(r.turnaround, 50)),
      fmt(p99),
      fmt(r.turnaround[r.turnaround.length - 1] ?? Number.NaN),
      fmt(percentile(r.exchange, 50)),
      fmt(t35),
      fmt(t35 + 2),
      ((100 * r.turnaround.filter((t) => t <= t35 + 2).length) / Math.max(1, r.count)).toFixed(2),
      fmt(wire),
      r.lost,
      r.bad,
      p99 <= t35 + 2 && r.lost === 0 ? 'yes' : 'no',
    ].join(' | '),
  );
}
console.log('');
for (const baud of bauds) {
  const ours = results.find((r) => r.baud === baud && r.label === 'submeter');
  const theirs = results.find((r) => r.baud === baud && r.label.startsWith('modbus-serial (interval'));
  if (ours !== undefined && theirs !== undefined) {
    console.log(
      `${baud} baud: modbus-serial/submeter turnaround p50 ratio ${(percentile(theirs.turnaround, 50) / percentile(ours.turnaround, 50)).toFixed(1)}x, ` +
        `p99 ratio ${(percentile(theirs.turnaround, 99) / percentile(ours.turnaround, 99)).toFixed(1)}x; ` +
        `submeter turnaround p99 is ${((100 * percentile(ours.turnaround, 99)) / (wireTimeMs(requestBytes + responseBytes, baud) + 2 * interFrameSilenceMs(baud))).toFixed(1)} % of the wire time`,
    );
  }
}
const failed = results.filter((r) => r.label === 'submeter' && (r.lost > 0 || r.bad > 0));
if (failed.length > 0) {
  console.error('submeter lost or garbled frames');
  process.exit(1);
}
