import type { ModbusDevice } from '../device.js';
import { MaxPduLength } from './function-code.js';
import { expectLength } from './request-errors.js';

/** Run indicator status byte of FC17: the server is running. */
export const RunIndicatorOn = 0xff;

/**
 * FC17 report server id. Request: fc only. Response: fc, byte count, the device's server id bytes
 * (empty when the device has none), run indicator status 0xFF.
 */
export function reportServerId(
  device: ModbusDevice,
  length: number,
  response: Uint8Array,
  responseOffset: number,
): number {
  expectLength(length, 1, 'report server id');
  const id = device.serverId?.() ?? new Uint8Array(0);
  const idBytes = id.length > MaxPduLength - 3 ? id.subarray(0, MaxPduLength - 3) : id;
  response[responseOffset] = 0x11;
  response[responseOffset + 1] = idBytes.length + 1;
  response.set(idBytes, responseOffset + 2);
  response[responseOffset + 2 + idBytes.length] = RunIndicatorOn;
  return 3 + idBytes.length;
}
