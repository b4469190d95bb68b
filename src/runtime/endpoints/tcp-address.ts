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

/**
 * A Modbus/TCP Security address: HOST:PORT as parseTcpEndpoint reads it, or a host alone
 * ("0.0.0.0", "[::]", "localhost"), which listens on `defaultPort` (802, the IANA mbap-s port).
 */
export function parseTlsEndpoint(text: string, defaultPort = 802): TcpEndpoint {
  const bracketed = /^\[([^\]]+)\]$/.exec(text);
  if (bracketed?.[1] !== undefined) return { host: bracketed[1], port: defaultPort };
  if (/^[A-Za-z0-9.-]*[A-Za-z.-][A-Za-z0-9.-]*$/.test(text) || /^\d+\.\d+\.\d+\.\d+$/.test(text)) return { host: text, port: defaultPort };
  if (!text.includes('[') && (text.match(/:/g) ?? []).length > 1) return { host: text, port: defaultPort };
  try {
    return parseTcpEndpoint(text);
  } catch {
    throw new Error(`--tls ${JSON.stringify(text)}: expected HOST or HOST:PORT, e.g. 0.0.0.0 (port 802) or 127.0.0.1:8802`);
  }
}
