/**
 * Reading a meter back through a profile's register map (the library half of `submeter read`):
 * open the transport a target names (Modbus/TCP, RTU on a serial port, RTU over TCP), poll the
 * map's blocks with submeter's own Modbus client and decode them to SI values with units.
 * A target naming no transport (or two) is a SpecError; a connection that fails or a meter that
 * does not answer is a RunFailure.
 */
import { connectRtuOverTcp, connectTcp, openRtuSerial } from '../../modbus/client/connect.js';
import { ModbusClient } from '../../modbus/client/modbus-client.js';
import { ModbusExceptionResponse } from '../../modbus/client/modbus-exception-response.js';
import { ModbusTimeoutError, type ClientTransport } from '../../modbus/client/client-transport.js';
import type { RegisterMap } from '../../registers/register-map.js';
import { DEFAULT_PROFILE, DEFAULT_RTU_LINE } from '../config/meter-defaults.js';
import { parseTcpEndpoint } from '../endpoints/tcp-address.js';
import { registerMapFor } from '../meters/default-meter-factory.js';
import { RunFailure, SpecError } from '../runtime-error.js';
import { systemError } from '../system-error-message.js';
import { decodeBlock, planReads, type ReadBlock } from './read-plan.js';
import type { ReadResult } from './read-result.js';

export interface ReadTarget {
  tcp?: string | undefined;
  rtu?: string | undefined;
  rtuTcp?: string | undefined;
  baud?: number | undefined;
  parity?: 'none' | 'even' | 'odd' | undefined;
  stopBits?: 1 | 2 | undefined;
  /** Connect timeout (ms). */
  timeoutMs?: number | undefined;
}

/** Opens the transport a read target names (exactly one of tcp, rtu, rtuTcp). */
export async function openReadTransport(target: ReadTarget, map?: RegisterMap): Promise<ClientTransport> {
  const given = [target.tcp, target.rtu, target.rtuTcp].filter((t) => t !== undefined).length;
  if (given !== 1) throw new SpecError('give exactly one of --tcp HOST:PORT, --rtu PATH or --rtu-tcp HOST:PORT');
  const timeoutMs = target.timeoutMs ?? 3000;
  if (target.rtu !== undefined) {
    const line = {
      baudRate: target.baud ?? map?.rtu?.baudRate ?? DEFAULT_RTU_LINE.baudRate,
      parity: target.parity ?? map?.rtu?.parity ?? DEFAULT_RTU_LINE.parity,
      stopBits: target.stopBits ?? map?.rtu?.stopBits ?? DEFAULT_RTU_LINE.stopBits,
    };
    try {
      return await openRtuSerial({ path: target.rtu, ...line });
    } catch (error) {
      throw systemError(`cannot open serial port ${target.rtu}`, error);
    }
  }
  const address = target.tcp ?? target.rtuTcp ?? '';
  const { host, port } = parseTcpEndpoint(address);
  try {
    return target.tcp !== undefined ? await connectTcp(host, port, timeoutMs) : await connectRtuOverTcp(host, port, timeoutMs);
  } catch (error) {
    throw systemError(`cannot connect to ${host}:${port}`, error);
  }
}

/** Reads every block once; exceptions are reported per block, a silent meter fails the read. */
export async function readOnce(client: ModbusClient, blocks: readonly ReadBlock[]): Promise<ReadResult> {
  const result: ReadResult = { values: [], errors: [] };
  let answered = 0;
  for (const block of blocks) {
    try {
      const data =
        block.space === 'input'
          ? await client.readInputRegisters(block.address, block.quantity)
          : block.space === 'holding'
            ? await client.readHoldingRegisters(block.address, block.quantity)
            : block.space === 'coil'
              ? await client.readCoils(block.address, block.quantity)
              : await client.readDiscreteInputs(block.address, block.quantity);
      answered += 1;
      result.values.push(...decodeBlock(block, data));
    } catch (error) {
      if (error instanceof ModbusExceptionResponse) {
        answered += 1;
        result.errors.push({ space: block.space, address: block.address, quantity: block.quantity, error: error.message });
      } else if (error instanceof ModbusTimeoutError && answered > 0) {
        result.errors.push({ space: block.space, address: block.address, quantity: block.quantity, error: error.message });
      } else {
        throw error instanceof Error ? new RunFailure(error.message, { cause: error }) : error;
      }
    }
  }
  return result;
}

export interface ReadMeterOptions extends ReadTarget {
  /** Register map to decode with (default titan). */
  profile?: string | undefined;
  profileOptions?: Readonly<Record<string, string | number>> | undefined;
  unit?: number | undefined;
  /** Only registers whose name or quantity contains this text. */
  match?: string | undefined;
}

/** Library form of `submeter read`: one poll of a meter, decoded to SI values with units. */
export async function readMeter(options: ReadMeterOptions): Promise<ReadResult> {
  const map = registerMapFor(options.profile ?? DEFAULT_PROFILE, options.profileOptions ?? {});
  const transport = await openReadTransport(options, map);
  const client = new ModbusClient(transport, { unitId: options.unit ?? 1, timeoutMs: options.timeoutMs ?? 1000 });
  try {
    return await readOnce(client, planReads(map, options.match));
  } finally {
    await client.close();
  }
}
