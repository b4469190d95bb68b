/**
 * How a Modbus client reaches a server: one request PDU to a unit id in, the response PDU out.
 * Framing (MBAP on TCP, address + CRC on RTU) is the transport's; the client only sees PDUs.
 */
export interface ClientTransport {
  /** Sends one request and resolves with the response PDU (function code first). Rejects on timeout or a broken link. */
  request(unitId: number, pdu: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /** For messages ("tcp 127.0.0.1:1502", "rtu /dev/ttyUSB0 9600 8N1"). */
  readonly description: string;
}

/** No answer in time (a request to an absent RTU unit, a server that drops requests). */
export class ModbusTimeoutError extends Error {
  constructor(
    readonly unitId: number,
    readonly timeoutMs: number,
    where: string,
  ) {
    super(`no answer from unit ${unitId} on ${where} within ${timeoutMs} ms`);
    this.name = 'ModbusTimeoutError';
  }
}
