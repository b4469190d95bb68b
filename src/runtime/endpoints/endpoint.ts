/**
 * A place where the panel's meters are served: a Modbus/TCP port (one meter, or a gateway of
 * unit ids), an RTU bus on a serial port, or RTU over TCP. Opened from an EndpointSpec.
 */
import type { EndpointCounters } from '../../modbus/endpoint-counters.js';

export interface OpenEndpoint {
  /** One line for the startup summary ("modbus/tcp 127.0.0.1:1502 unit 1 -> meter (titan)"). */
  readonly summary: string;
  /** The TCP port actually bound (port 0 resolves to a free one); undefined on a serial line. */
  readonly port: number | undefined;
  /** What the endpoint counts as it serves (requests, exceptions, connections, bytes): read by /metrics. */
  readonly counters?: EndpointCounters | undefined;
  /** Whether it still listens (TCP) or its port is open (serial), for /healthz. */
  isOpen?(): boolean;
  close(): Promise<void>;
}
