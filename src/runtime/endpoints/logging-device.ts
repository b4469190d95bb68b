/**
 * A ModbusDevice that logs every exception its device answers (address, quantity, code) and
 * passes everything else through. Used only when the logger shows them, so it costs nothing
 * otherwise.
 */
import type { ModbusDevice } from '../../modbus/device.js';
import { ModbusError, exceptionName } from '../../modbus/exception.js';
import type { Logger } from '../log/logger.js';

export function describeException(error: unknown): string {
  const code = error instanceof ModbusError ? error.code : 4;
  const name = exceptionName(code) ?? 'exception';
  const hex = code.toString(16).padStart(2, '0');
  return `exception ${hex} (${name})${error instanceof Error ? `: ${error.message}` : ''}`;
}

export function loggingDevice(device: ModbusDevice, label: string, logger: Logger): ModbusDevice {
  const guard = <T>(what: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      logger.info(`${label}: ${what} -> ${describeException(error)}`);
      throw error;
    }
  };
  const wrapped: ModbusDevice = {
    readHoldingRegisters: (address, quantity, target, offset) =>
      guard(`read holding ${address} x${quantity}`, () => device.readHoldingRegisters(address, quantity, target, offset)),
    readInputRegisters: (address, quantity, target, offset) =>
      guard(`read input ${address} x${quantity}`, () => device.readInputRegisters(address, quantity, target, offset)),
    readCoils: (address, quantity, target, offset) => guard(`read coils ${address} x${quantity}`, () => device.readCoils(address, quantity, target, offset)),
    readDiscreteInputs: (address, quantity, target, offset) =>
      guard(`read discrete inputs ${address} x${quantity}`, () => device.readDiscreteInputs(address, quantity, target, offset)),
    writeHoldingRegisters: (address, values) => {
      guard(`write holding ${address} x${values.length >> 1}`, () => device.writeHoldingRegisters(address, values));
      logger.debug(`${label}: wrote holding ${address} x${values.length >> 1}`);
    },
    writeCoils: (address, quantity, packed) => {
      guard(`write coils ${address} x${quantity}`, () => device.writeCoils(address, quantity, packed));
      logger.debug(`${label}: wrote coils ${address} x${quantity}`);
    },
    identification: () => device.identification(),
  };
  const serverId = device.serverId;
  if (serverId !== undefined) wrapped.serverId = () => serverId.call(device);
  const beginRequest = device.beginRequest;
  if (beginRequest !== undefined) wrapped.beginRequest = (context) => beginRequest.call(device, context);
  return wrapped;
}
