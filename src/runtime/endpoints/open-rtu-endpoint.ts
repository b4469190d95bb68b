/** RTU endpoints: a bus of unit ids on a serial port, or the same bus spoken over TCP. */
import type { ModbusDevice } from '../../modbus/device.js';
import type { CommFaultHook } from '../../modbus/faults/comm-fault-policy.js';
import { RtuBus } from '../../modbus/rtu/rtu-bus.js';
import { RtuOverTcpServer } from '../../modbus/rtu/rtu-over-tcp-server.js';
import { RtuSerialServer } from '../../modbus/rtu/rtu-serial-server.js';
import { EndpointCounters } from '../../modbus/endpoint-counters.js';
import type { Logger } from '../log/logger.js';
import { systemError } from '../system-error-message.js';
import { formatTcpEndpoint } from './tcp-address.js';
import type { OpenEndpoint } from './endpoint.js';
import type { RtuEndpointSpec, RtuOverTcpEndpointSpec } from '../panel-spec.js';
import { describeUnits } from './unit-summary.js';
import type { TcpLimits } from './open-tcp-endpoint.js';
import { RateLimitedLog } from '../log/rate-limited-log.js';

export function lineFormat(spec: Pick<RtuEndpointSpec, 'baudRate' | 'parity' | 'stopBits'>): string {
  const parity = spec.parity === 'none' ? 'N' : spec.parity === 'even' ? 'E' : 'O';
  return `${spec.baudRate} 8${parity}${spec.stopBits}`;
}

export async function openRtuEndpoint(
  spec: RtuEndpointSpec | RtuOverTcpEndpointSpec,
  deviceOf: (meter: string, unitId: number) => ModbusDevice,
  logger: Logger,
  faults?: CommFaultHook,
  limits: TcpLimits = {},
): Promise<OpenEndpoint> {
  const counters = new EndpointCounters();
  const bus = new RtuBus(spec.units.map((u) => [u.unitId, deviceOf(u.meter, u.unitId)] as const));
  if (spec.kind === 'rtu') {
    let server: RtuSerialServer;
    try {
      server = await RtuSerialServer.open(bus, {
        path: spec.path,
        baudRate: spec.baudRate,
        parity: spec.parity,
        stopBits: spec.stopBits,
        responseDelayMs: spec.responseDelayMs,
        faults,
        counters,
        onError: (error) => logger.warn(`rtu ${spec.path}: ${error.message}`),
      });
    } catch (error) {
      const cause = error instanceof Error ? error.message.replace(/^cannot open serial port [^:]*: /, '') : error;
      throw systemError(`cannot open serial port ${spec.path}`, cause instanceof Error || typeof cause !== 'string' ? cause : new Error(cause));
    }
    return {
      summary: `modbus/rtu ${spec.path} ${lineFormat(spec)} ${describeUnits(spec.units)}`,
      port: undefined,
      counters,
      isOpen: () => server.isOpen,
      close: () => server.close(),
    };
  }
  let server: RtuOverTcpServer;
  const where = formatTcpEndpoint({ host: spec.host, port: spec.port });
  const maxConnections = limits.maxConnections ?? 32;
  const frameTimeoutS = limits.frameTimeoutS ?? 5;
  const refusals = new RateLimitedLog((line) => logger.warn(`rtu over tcp ${where}: ${line}`), 'more connections refused or closed at the limit');
  try {
    server = await RtuOverTcpServer.listen(bus, {
      host: spec.host,
      port: spec.port,
      faults,
      counters,
      maxConnections,
      idleTimeoutMs: (limits.idleTimeoutS ?? 60) * 1000,
      frameTimeoutMs: frameTimeoutS * 1000,
      onError: (error) => logger.warn(`rtu over tcp: ${error.message}`),
      onConnectionEvent: (event, remote, admitted) => {
        if (event === 'reject') refusals.log(`client ${remote} refused (${maxConnections} connections open, all busy)`);
        else if (event === 'evict') refusals.log(`client ${remote} closed to admit ${admitted ?? '?'} (${maxConnections} connections open)`);
        else if (event === 'idle') logger.info(`rtu over tcp ${where}: client ${remote} idle, closed`);
        else logger.info(`rtu over tcp ${where}: client ${remote} sent an incomplete frame for ${frameTimeoutS} s, closed`);
      },
    });
  } catch (error) {
    throw systemError(`cannot listen on ${formatTcpEndpoint({ host: spec.host, port: spec.port })}`, error);
  }
  const { address, port } = server.address;
  return {
    summary: `modbus/rtu-over-tcp ${formatTcpEndpoint({ host: address, port })} ${describeUnits(spec.units)}`,
    port,
    counters,
    isOpen: () => server.listening,
    close: () => {
      refusals.flush();
      return server.close();
    },
  };
}
