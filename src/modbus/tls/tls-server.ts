/**
 * Modbus/TCP Security server (Modbus.org MB-TCP-Security): the usual MBAP framing inside TLS 1.2
 * or 1.3, on port 802 by default. Mutual authentication: the client must present a certificate
 * signed by `ca`, valid now, usable for client authentication (key usage, extended key usage
 * clientAuth); its role (extension 1.3.6.1.4.1.50316.802.1) decides, through `authorize`, which
 * requests are served; a refused request is answered with exception 01. The connections are the
 * plain TCP server's (TcpConnection: the same MBAP framing descriptor, batching, backpressure,
 * faults); only the listener differs. Sessions may be resumed (TLS 1.2 session ids and tickets,
 * TLS 1.3 tickets): the resumed session carries the client certificate, so the role is read again.
 */
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';
import { ModbusTcpServer, type ModbusTcpServerOptions } from '../tcp/tcp-server.js';
import { refuseEverything, type RequestAuthorizer } from '../request-authorizer.js';
import { certificateExtensions, clientUsageProblem } from './certificate-extensions.js';
import type { TlsPeer } from './tls-peer.js';

/** The IANA port of Modbus/TCP Security (mbap-s). */
export const modbusTlsPort = 802;

export interface ModbusTlsServerOptions extends ModbusTcpServerOptions {
  /** The server's certificate chain (PEM). */
  cert: string | Buffer;
  /** The server's private key (PEM). */
  key: string | Buffer;
  /** The CA certificate(s) that sign client certificates (PEM). */
  ca: string | Buffer | Array<string | Buffer>;
  /** The authorizer for a verified client (by its role); a client it cannot place gets refuseEverything. */
  authorize: (peer: TlsPeer) => RequestAuthorizer;
  /** A TLS handshake not finished within this many ms is abandoned. Default 10 000. */
  handshakeTimeoutMs?: number;
}

function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

export class ModbusTlsServer extends ModbusTcpServer {
  /** Requests refused (exception 01) since start. */
  deniedCount = 0;
  /** Handshakes or certificates refused since start. */
  refusedCount = 0;

  constructor(options: ModbusTlsServerOptions) {
    const authorizers = new WeakMap<Socket, RequestAuthorizer>();
    let report: (remote: string, error: Error) => void = () => undefined;
    super(options, {
      createServer: (accept) => {
        const server = createTlsServer(
          {
            cert: options.cert,
            key: options.key,
            ca: options.ca,
            requestCert: true,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
            sessionIdContext: 'submeter-modbus-tls',
            handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
          },
          (socket: TLSSocket) => {
            const peer = verifiedPeer(socket);
            if (peer instanceof Error) {
              report(remoteOf(socket), peer);
              socket.destroy();
              return;
            }
            authorizers.set(socket, options.authorize(peer));
            accept(socket);
          },
        );
        server.on('tlsClientError', (error, socket) => report(remoteOf(socket), error));
        return server;
      },
      authorizerFor: (socket) => authorizers.get(socket) ?? refuseEverything,
    });
    report = (remote, error) => {
      this.refusedCount += 1;
      this.emit('tls-error', remote, error);
    };
    this.on('denied', () => {
      this.deniedCount += 1;
    });
  }
}

/** The verified peer of a connection, or why its certificate cannot be used. */
function verifiedPeer(socket: TLSSocket): TlsPeer | Error {
  if (!socket.authorized) return new Error(`client certificate refused: ${String(socket.authorizationError)}`);
  const certificate = socket.getPeerX509Certificate();
  if (certificate === undefined) return new Error('no client certificate');
  let extensions;
  try {
    extensions = certificateExtensions(certificate.raw);
  } catch (error) {
    return new Error(`client certificate unreadable: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problem = clientUsageProblem(extensions);
  if (problem !== undefined) return new Error(`client certificate refused: ${problem}`);
  return {
    remote: remoteOf(socket),
    subject: certificate.subject.replace(/\n/g, ', '),
    role: extensions.role,
    fingerprint256: certificate.fingerprint256,
  };
}
