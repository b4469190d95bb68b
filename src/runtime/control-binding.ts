/**
 * The control binding: the control API (faults, scenarios, timelines; see docs/control.md) bound
 * to a running panel. A FaultController over the panel's meters and endpoints, served over HTTP.
 * A port in use or a refused bind is a RunFailure.
 */
import { FaultController } from '../control/fault-controller.js';
import { DEFAULT_CONTROL_PORT, startControlServer, type ControlServer } from '../control/http/control-server.js';
import type { CommFaultPolicy } from '../modbus/faults/comm-fault-policy.js';
import type { Clock } from '../meter/clock.js';
import { controlRegistry } from './control-registry.js';
import type { PanelMeter } from './panel-meter.js';
import type { PanelSpec, TlsCredentialFiles } from './panel-spec.js';
import { readTlsCredentials } from './endpoints/open-tls-endpoint.js';
import { RunFailure } from './runtime-error.js';
import { errorCode, systemError } from './system-error-message.js';

/** Where and how to serve the control API. */
export interface ControlOptions {
  /** Default 127.0.0.1; beyond loopback a token is required. */
  host?: string | undefined;
  /** Default 8502; 0 picks a free port. */
  port?: number | undefined;
  /** Bearer token the API requires. */
  token?: string | undefined;
  /** Seed of the comm-fault policy's random choices (default 1). */
  seed?: number | undefined;
  /** Host names a request's `Host` may carry besides the bound address and loopback (e.g. a compose service name). */
  allowedHosts?: readonly string[] | undefined;
  /** Serve HTTPS with these PEM files; client certificates with a role (admin changes, reader reads) or the token. */
  tls?: TlsCredentialFiles | undefined;
}

export interface PanelControl {
  controller: FaultController;
  server: ControlServer;
  policy: CommFaultPolicy;
}

/** Starts the control API over a panel's meters; `names` are the endpoints' fault-hook names. */
export async function bindControl(
  spec: PanelSpec,
  meters: readonly PanelMeter[],
  names: readonly string[],
  policy: CommFaultPolicy,
  clock: Clock,
  options: ControlOptions,
): Promise<PanelControl> {
  const tls = options.tls === undefined ? undefined : readTlsCredentials(options.tls, '--tls');
  const controller = new FaultController(controlRegistry(spec, meters, names, policy, clock), { tickMs: 0 });
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? DEFAULT_CONTROL_PORT;
  try {
    const server = await startControlServer(controller, {
      host,
      port,
      ...(options.token === undefined ? {} : { token: options.token }),
      ...(tls === undefined ? {} : { tls }),
      ...(options.allowedHosts === undefined ? {} : { allowedHosts: options.allowedHosts }),
    });
    return { controller, server, policy };
  } catch (error) {
    controller.close();
    if (errorCode(error) !== undefined) throw systemError(`cannot start the control API on ${host}:${port}`, error);
    throw new RunFailure(`control API: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** Stops the control API. */
export async function unbindControl(control: PanelControl): Promise<void> {
  await control.server.close();
  control.controller.close();
}
