/**
 * Load generator for modbus-tls.bench.ts (its own process): closed loop, one outstanding FC04
 * 60-register request per connection, over plain TCP or TLS (client certificate reader.pem);
 * or `handshake`: new TLS connections one after another (full handshake, no resumption), one
 * request each. Usage: MODE(tcp|tls|handshake) PORT CONNECTIONS WARMUP_S SECONDS CERT_DIR.
 * Prints JSON { requests, rps, p50us, p99us } (handshake: { handshakes, perSecond, p50us, p99us }).
 */
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';

const [mode = 'tcp', portText = '0', connectionsText = '1', warmupText = '0.5', secondsText = '2', dir = '.'] = process.argv.slice(2);
const port = Number(portText);
const connections = Number(connectionsText);
const warmupMs = Number(warmupText) * 1000;
const measureMs = Number(secondsText) * 1000;
const credentials = { ca: readFileSync(join(dir, 'ca.pem')), cert: readFileSync(join(dir, 'reader.pem')), key: readFileSync(join(dir, 'reader.key')) };
const request = Buffer.from([0, 1, 0, 0, 0, 6, 1, 4, 0, 0, 0, 60]);
const responseLength = 9 + 120;

function open(secure: boolean): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ...credentials, session: undefined }, () => resolve(socket))
      : netConnect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
    socket.setNoDelay(true);
    socket.once('error', reject);
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Sends the request and resolves when its whole answer is in. */
function exchange(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received >= responseLength) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(request);
  });
}

async function closedLoop(secure: boolean): Promise<void> {
  const sockets = await Promise.all(Array.from({ length: connections }, () => open(secure)));
  const latencies: number[] = [];
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + measureMs;
  await Promise.all(
    sockets.map(async (socket) => {
      for (;;) {
        const sent = performance.now();
        if (sent >= end) break;
        await exchange(socket);
        if (sent >= measureFrom) latencies.push((performance.now() - sent) * 1000);
      }
    }),
  );
  for (const socket of sockets) socket.destroy();
  const sorted = Float64Array.from(latencies).sort();
  process.stdout.write(JSON.stringify({ requests: latencies.length, rps: latencies.length / (measureMs / 1000), p50us: percentile(sorted, 0.5), p99us: percentile(sorted, 0.99) }) + '\n');
}

async function handshakes(): Promise<void> {
  const times: number[] = [];
  const start = performance.now();
  const end = start + warmupMs + measureMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    const socket = await open(true);
    await exchange(socket);
    socket.destroy();
    if (t0 >= start + warmupMs) times.push((performance.now() - t0) * 1000);
  }
  const sorted = Float64Array.from(times).sort();
  process.stdout.write(JSON.stringify({ handshakes: times.length, perSecond: times.length / (measureMs / 1000), p50us: percentile(sorted, 0.5), p99us: percentile(sorted, 0.99) }) + '\n');
}

await (mode === 'handshake' ? handshakes() : closedLoop(mode === 'tls'));
