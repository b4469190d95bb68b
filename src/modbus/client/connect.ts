/** Opening client transports: Modbus/TCP, RTU on a serial port, RTU over TCP. */
import { connect as netConnect, type Socket } from 'node:net';
import { SerialPort } from 'serialport';
import type { ClientTransport } from './client-transport.js';
import { mbapFraming } from '../framing/mbap-framing.js';
import { rtuFraming } from '../framing/rtu-framing.js';
import { AduFraming } from './adu-framing.js';
import { StreamTransport } from './stream-transport.js';

function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connect to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function closeSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.destroy();
  });
}

/** Modbus/TCP (MBAP) to HOST:PORT. */
export async function connectTcp(host: string, port: number, timeoutMs = 3000): Promise<ClientTransport> {
  const socket = await openSocket(host, port, timeoutMs);
  return new StreamTransport(socket, new AduFraming(mbapFraming), `tcp ${host}:${port}`, () => closeSocket(socket));
}

/** RTU frames (with CRC) in a TCP stream, as serial-to-Ethernet gateways speak them. */
export async function connectRtuOverTcp(host: string, port: number, timeoutMs = 3000): Promise<ClientTransport> {
  const socket = await openSocket(host, port, timeoutMs);
  return new StreamTransport(socket, new AduFraming(rtuFraming), `rtu over tcp ${host}:${port}`, () => closeSocket(socket));
}

export interface SerialClientOptions {
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

/** RTU on a serial port (a USB-RS485 adapter, one end of a socat pair). */
export async function openRtuSerial(options: SerialClientOptions): Promise<ClientTransport> {
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate, parity: options.parity, stopBits: options.stopBits, dataBits: 8, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
  const parity = options.parity === 'none' ? 'N' : options.parity === 'even' ? 'E' : 'O';
  return new StreamTransport(port, new AduFraming(rtuFraming), `rtu ${options.path} ${options.baudRate} 8${parity}${options.stopBits}`, () =>
    new Promise<void>((resolve) => {
      if (!port.isOpen) return resolve();
      port.close(() => resolve());
    }),
  );
}
