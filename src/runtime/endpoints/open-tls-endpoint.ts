/**
 * A Modbus/TCP Security port (MBAP inside TLS, client certificates, roles): the same units as a
 * TCP endpoint, each request checked against the client's role (the role table over the units'
 * register maps). Refused handshakes and refused requests are logged, rate-limited.
 */
import { readFileSync } from 'node:fs';
import type { ModbusDevice } from '../../modbus/device.js';
import type { CommFaultHook } from '../../modbus/faults/comm-fault-policy.js';
import { ModbusTlsServer } from '../../modbus/tls/tls-server.js';
import { UnitRouter } from '../../modbus/unit-router.js';
import { formatTcpEndpoint } from './tcp-address.js';
import type { Logger } from '../log/logger.js';
import { RunFailure } from '../runtime-error.js';
import { systemError } from '../system-error-message.js';
import type { OpenEndpoint } from './endpoint.js';
import type { TlsCredentialFiles, TlsEndpointSpec } from '../panel-spec.js';
import { describeUnits } from './unit-summary.js';
import type { UnitWriteTargets } from '../security/role-authorizer.js';
import type { RoleTable } from '../security/role-table.js';
import { peerAuthorizers } from '../security/peer-authorizers.js';
import { RateLimitedLog } from '../security/rate-limited-log.js';
import { errorMessage } from '../../common/error-message.js';

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

/** Reads the PEM files; a missing or unreadable file is a RunFailure naming it. */
export function readTlsCredentials(files: TlsCredentialFiles, flag = '--tls'): TlsCredentials {
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw systemError(`cannot read ${flag}-${what} ${file}`, error);
    }
  };
  return { cert: read(files.certFile, 'cert'), key: read(files.keyFile, 'key'), ca: read(files.caFile, 'ca') };
}

export async function openTlsEndpoint(
  spec: TlsEndpointSpec,
  deviceOf: (meter: string, unitId: number) => ModbusDevice,
  targetsOf: (meter: string) => UnitWriteTargets,
  roles: RoleTable,
  logger: Logger,
  limits: { maxConnections?: number | undefined; idleTimeoutS?: number | undefined } = {},
  faults?: CommFaultHook,
): Promise<OpenEndpoint> {
  let router: UnitRouter;
  const unitTargets = new Map<number, UnitWriteTargets>();
  const first = spec.units[0];
  if (spec.gateway || first === undefined) {
    router = UnitRouter.gateway(spec.units.map((u) => [u.unitId, deviceOf(u.meter, u.unitId)] as const));
    for (const u of spec.units) unitTargets.set(u.unitId, targetsOf(u.meter));
  } else {
    const units = [...new Set([first.unitId, 0, 255])];
    router = UnitRouter.single(deviceOf(first.meter, first.unitId), units);
    const targets = targetsOf(first.meter);
    for (const unit of units) unitTargets.set(unit, targets);
  }
  const credentials = readTlsCredentials(spec.credentials);
  let server: ModbusTlsServer;
  try {
    server = new ModbusTlsServer({
      router,
      ...credentials,
      authorize: peerAuthorizers(roles, unitTargets, spec.defaultRole),
      maxConnections: limits.maxConnections ?? 32,
      idleTimeoutMs: (limits.idleTimeoutS ?? 60) * 1000,
      ...(faults === undefined ? {} : { faults }),
    });
  } catch (error) {
    throw new RunFailure(`tls ${formatTcpEndpoint(spec)}: cannot use the certificate or key: ${errorMessage(error)}`, { cause: error });
  }
  let address;
  try {
    address = await server.listen(spec.port, spec.host);
  } catch (error) {
    await server.close();
    throw systemError(`cannot listen on ${formatTcpEndpoint({ host: spec.host, port: spec.port })}`, error);
  }
  const where = formatTcpEndpoint({ host: address.address, port: address.port });
  const refusals = new RateLimitedLog((line) => logger.warn(line));
  const denials = new RateLimitedLog((line) => logger.warn(line));
  server.on('connect', (remote) => logger.info(`tls ${where}: client ${remote} connected`));
  server.on('disconnect', (remote) => logger.info(`tls ${where}: client ${remote} disconnected`));
  server.on('reject', (remote) => logger.warn(`tls ${where}: client ${remote} refused (${server.maxConnections} connections open)`));
  server.on('idle', (remote) => logger.info(`tls ${where}: client ${remote} idle, closed`));
  server.on('framing-error', (remote, error) => logger.warn(`tls ${where}: client ${remote} broke MBAP framing (${String(error)}), closed`));
  server.on('tls-error', (remote, error) => refusals.note(`tls ${where}: client ${remote} refused: ${error.message} (${server.refusedCount} refused so far)`));
  server.on('denied', (remote, unitId, functionCode) =>
    denials.note(`tls ${where}: client ${remote}: unit ${unitId} function ${functionCode} not allowed for its role, exception 01 (${server.deniedCount} refused so far)`),
  );
  return {
    summary: `modbus/tls ${where}${spec.gateway ? ' gateway' : ''} ${describeUnits(spec.units)}${spec.defaultRole === undefined ? '' : `, default role ${spec.defaultRole}`}`,
    port: address.port,
    close: () => server.close(),
  };
}
