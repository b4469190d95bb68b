import { interFrameSilenceMs } from './rtu-timing.js';

export type SerialParity = 'none' | 'even' | 'odd';

/** How a serial line is set up: the RS485 side of a meter. */
export interface SerialLineSettings {
  /** Device path, e.g. /dev/ttyUSB0 or a pty from `submeter vpair`. */
  path: string;
  /** 1200..230400 (default 19200, the specification's default). */
  baudRate: number;
  /** Default 'even' (the specification's default 8E1). */
  parity: SerialParity;
  /** 1 or 2 (default 1). The specification asks for 2 stop bits without parity; meters often use 8N1. */
  stopBits: 1 | 2;
  /** Wait this long before answering, in ms (default 0). */
  responseDelayMs: number;
  /** t3.5 override in ms; default from the baud rate (11 bits per character, 1.75 ms above 19200). */
  interFrameSilenceMs: number;
}

export const MinBaudRate = 1200;
export const MaxBaudRate = 230400;

export interface SerialLineSettingsInput {
  path: string;
  baudRate?: number | undefined;
  parity?: string | undefined;
  stopBits?: number | undefined;
  responseDelayMs?: number | undefined;
  interFrameSilenceMs?: number | undefined;
}

/** Validates and completes serial settings; throws a RangeError that names the field. */
export function serialLineSettings(input: SerialLineSettingsInput): SerialLineSettings {
  if (typeof input.path !== 'string' || input.path.length === 0) throw new RangeError('serial path: a device path is required (e.g. /dev/ttyUSB0)');
  const baudRate = input.baudRate ?? 19200;
  if (!Number.isInteger(baudRate) || baudRate < MinBaudRate || baudRate > MaxBaudRate) {
    throw new RangeError(`baud rate: ${baudRate} is not an integer in ${MinBaudRate}..${MaxBaudRate}`);
  }
  const parity = input.parity ?? 'even';
  if (parity !== 'none' && parity !== 'even' && parity !== 'odd') throw new RangeError(`parity: "${parity}" is not one of none, even, odd`);
  const stopBits = input.stopBits ?? 1;
  if (stopBits !== 1 && stopBits !== 2) throw new RangeError(`stop bits: ${stopBits} is not 1 or 2`);
  const responseDelayMs = input.responseDelayMs ?? 0;
  if (!Number.isFinite(responseDelayMs) || responseDelayMs < 0 || responseDelayMs > 10_000) {
    throw new RangeError(`response delay: ${responseDelayMs} ms is not in 0..10000`);
  }
  const silence = input.interFrameSilenceMs ?? interFrameSilenceMs(baudRate);
  if (!Number.isFinite(silence) || silence <= 0 || silence > 1000) throw new RangeError(`inter-frame silence: ${silence} ms is not in (0, 1000]`);
  return { path: input.path, baudRate, parity, stopBits, responseDelayMs, interFrameSilenceMs: silence };
}
