/** A TCP listen address given on the command line as HOST:PORT ("[::1]:1502" for IPv6). */
export interface TcpEndpoint {
  host: string;
  port: number;
}

export const defaultTcpEndpoint: TcpEndpoint = { host: '127.0.0.1', port: 1502 };

/** Parses HOST:PORT, ":PORT" (default host) or "PORT"; throws an Error naming what is wrong. */
export function parseTcpEndpoint(text: string): TcpEndpoint {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  if (match === null) throw new Error('expected HOST:PORT, e.g. 127.0.0.1:1502');
  const named = match[1] !== undefined && match[1] !== '' ? match[1] : match[2];
  const host = named === undefined || named === '' ? defaultTcpEndpoint.host : named;
  const port = Number(match[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port ${match[3]} is outside 0..65535`);
  return { host, port };
}

/** HOST:PORT for printing (IPv6 hosts bracketed). */
export function formatTcpEndpoint(endpoint: TcpEndpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}
