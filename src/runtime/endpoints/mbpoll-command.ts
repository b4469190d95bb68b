/** A ready-to-paste mbpoll command for an endpoint's first unit (mbpoll references are 1-based). */
import type { RegisterProbe } from '../panel-meter.js';
import type { EndpointSpec } from '../panel-spec.js';

function probeArgs(probe: RegisterProbe | undefined): string {
  if (probe === undefined) return '-t 3 -r 1 -c 10';
  const table = probe.table === 'input' ? '3' : '4';
  const type = probe.type === 'int16' ? table : `${table}:${probe.type}`;
  return `-t ${type}${probe.bigEndian && probe.type !== 'int16' ? ' -B' : ''} -r ${probe.address + 1} -c ${probe.count}`;
}

export function mbpollCommand(endpoint: EndpointSpec, boundPort: number | undefined, probe: RegisterProbe | undefined): string | undefined {
  const unit = endpoint.units[0]?.unitId ?? 1;
  const args = probeArgs(probe);
  switch (endpoint.kind) {
    case 'tcp': {
      const port = boundPort ?? endpoint.port;
      const host = endpoint.host === '0.0.0.0' || endpoint.host === '::' ? '127.0.0.1' : endpoint.host;
      return `mbpoll -m tcp -p ${port} -a ${unit} ${args} -1 ${host}`;
    }
    case 'rtu':
      return `mbpoll -m rtu -a ${unit} -b ${endpoint.baudRate} -d 8 -s ${endpoint.stopBits} -P ${endpoint.parity} ${args} -1 <the other end of ${endpoint.path}>`;
    case 'rtu-over-tcp':
    case 'tls': // mbpoll speaks neither
      return undefined;
  }
}
