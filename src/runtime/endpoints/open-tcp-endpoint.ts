/** A Modbus/TCP port serving one meter (units N, 0 and 255) or a gateway of unit ids. */
import type { ModbusDevice } from '../../modbus/device.js';
import type { CommFaultHook } from '../../modbus/faults/comm-fault-policy.js';
import { ModbusTcpServer } from '../../modbus/tcp/tcp-server.js';
import { EndpointCounters } from '../../modbus/endpoint-counters.js';
import { UnitRouter } from '../../modbus/unit-router.js';
import { formatTcpEndpoint } from './tcp-address.js';
import type { Logger } from '../log/logger.js';
import { systemError } from '../system-error-message.js';
import type { OpenEndpoint } from './endpoint.js';
import type { TcpEndpointSpec } from '../panel-spec.js';
import { describeUnits } from './unit-summary.js';
import { RateLimitedLog } from '../log/rate-limited-log.js';

/** Connection limits of a TCP port (Modbus/TCP or RTU over TCP), as the panel spec gives them. */
export interface TcpLimits {
  maxConnections?: number | undefined;
  idleTimeoutS?: number | undefined;
  frameTimeoutS?: number | undefined;
}

export async function openTcpEndpoint(
  spec: TcpEndpointSpec,
  deviceOf: (meter: string, unitId: number) => ModbusDevice,
  logger: Logger,
  limits: TcpLimits = {},
  faults?: CommFaultHook,
): Promise<OpenEndpoint> {
  let router: UnitRouter;
  const first = spec.units[0];
  if (spec.gateway || first === undefined) {
    router = UnitRouter.gateway(spec.units.map((u) => [u.unitId, deviceOf(u.meter, u.unitId)] as const));
  } else {
    router = UnitRouter.single(deviceOf(first.meter, first.unitId), [...new Set([first.unitId, 0, 255])]);
  }
  const counters = new EndpointCounters();
  const server = new ModbusTcpServer({
    router,
    counters,
    maxConnections: limits.maxConnections ?? 32,
    idleTimeoutMs: (limits.idleTimeoutS ?? 60) * 1000,
    frameTimeoutMs: (limits.frameTimeoutS ?? 5) * 1000,
    ...(faults === undefined ? {} : { faults }),
  });
  let address;
  try {
    address = await server.listen(spec.port, spec.host);
  } catch (error) {
    await server.close();
    throw systemError(`cannot listen on ${formatTcpEndpoint({ host: spec.host, port: spec.port })}`, error);
  }
  const where = formatTcpEndpoint({ host: address.address, port: address.port });
  server.on('connect', (remote) => logger.info(`tcp ${where}: client ${remote} connected`));
  server.on('disconnect', (remote) => logger.info(`tcp ${where}: client ${remote} disconnected`));
  const refusals = new RateLimitedLog((line) => logger.warn(`tcp ${where}: ${line}`), 'more connections refused or closed at the limit');
  server.on('reject', (remote) => refusals.log(`client ${remote} refused (${server.maxConnections} connections open, all busy)`));
  server.on('evict', (remote, admitted) => refusals.log(`client ${remote} closed to admit ${admitted} (${server.maxConnections} connections open)`));
  server.on('idle', (remote) => logger.info(`tcp ${where}: client ${remote} idle, closed`));
  server.on('frame-timeout', (remote) => logger.info(`tcp ${where}: client ${remote} sent an incomplete request for ${server.frameTimeoutMs / 1000} s, closed`));
  server.on('framing-error', (remote, error) => logger.warn(`tcp ${where}: client ${remote} broke MBAP framing (${String(error)}), closed`));
  return {
    summary: `modbus/tcp ${where}${spec.gateway ? ' gateway' : ''} ${describeUnits(spec.units)}`,
    port: address.port,
    counters,
    isOpen: () => server.listening,
    close: () => {
      refusals.flush();
      return server.close();
    },
  };
}
