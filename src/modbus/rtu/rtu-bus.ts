import type { ModbusDevice } from '../device.js';
import { handleRequest } from '../pdu/handle-request.js';
import { MaxPduLength } from '../pdu/function-code.js';
import type { RequestContext } from '../pdu/request-context.js';
import { SerialDiagnostics } from '../serial-diagnostics.js';
import { BroadcastUnitId, MaxSerialUnitId, isExecutedWhenBroadcast } from './broadcast-policy.js';
import { rtuFraming } from '../framing/rtu-framing.js';
import type { RtuDropReason } from './rtu-request-framer.js';

/** One server (meter) on the bus: its unit id, its device, its own FC08 counters. */
export interface RtuBusServer {
  readonly unitId: number;
  readonly device: ModbusDevice;
  readonly diagnostics: SerialDiagnostics;
  /** The request context handed to the protocol core; `broadcast` is set per request. */
  readonly context: RequestContext;
}

/**
 * An RS485 bus of servers (a daisy chain): several unit ids, each its own device with its own
 * diagnostics counters, exactly as several meters on one pair. Every server sees every frame on
 * the bus, so bus-level counters (bus messages, communication errors, overruns) advance on all of
 * them; a request advances only the addressed server's counters; a broadcast write is executed by
 * every server and answered by none.
 *
 * The bus is transport-agnostic: a serial port or RTU over TCP connections feed it frames through
 * an RtuLink. Several links may share one bus (the counters are the devices' own).
 */
export class RtuBus {
  private readonly servers: (RtuBusServer | undefined)[] = new Array<RtuBusServer | undefined>(MaxSerialUnitId + 1).fill(undefined);
  private readonly serverList: RtuBusServer[] = [];
  private readonly scratch = new Uint8Array(1 + MaxPduLength + 2);

  constructor(devices: Iterable<readonly [number, ModbusDevice]>) {
    for (const [unitId, device] of devices) this.add(unitId, device);
    if (this.serverList.length === 0) throw new RangeError('an RTU bus needs at least one unit id');
  }

  /** A bus with one device on one unit id. */
  static single(device: ModbusDevice, unitId = 1): RtuBus {
    return new RtuBus([[unitId, device]]);
  }

  private add(unitId: number, device: ModbusDevice): void {
    if (!Number.isInteger(unitId) || unitId < 1 || unitId > MaxSerialUnitId) {
      throw new RangeError(`RTU unit id ${unitId} is outside 1..${MaxSerialUnitId} (0 is broadcast, 248..255 are reserved)`);
    }
    if (this.servers[unitId] !== undefined) throw new RangeError(`RTU unit id ${unitId} is given twice`);
    const diagnostics = new SerialDiagnostics();
    const server: RtuBusServer = { unitId, device, diagnostics, context: { diagnostics, reportServerId: true, broadcast: false } };
    this.servers[unitId] = server;
    this.serverList.push(server);
  }

  /** Unit ids on this bus, in the order given. */
  unitIds(): number[] {
    return this.serverList.map((server) => server.unitId);
  }

  isServed(unitId: number): boolean {
    return unitId >= 1 && unitId <= MaxSerialUnitId && this.servers[unitId] !== undefined;
  }

  server(unitId: number): RtuBusServer | undefined {
    return unitId >= 1 && unitId <= MaxSerialUnitId ? this.servers[unitId] : undefined;
  }

  /**
   * Handles one framed request ADU (unit id, PDU, CRC already checked). Returns the response ADU
   * (a fresh buffer the caller owns), or undefined when nothing is answered (broadcast, listen-only
   * mode, a unit not on this bus).
   */
  handleFrame(adu: Uint8Array): Buffer | undefined {
    this.countOnEveryServer('busMessageCount', 1);
    const unitId = adu[0];
    const pduStart = 1;
    const pduLength = adu.length - 3;
    if (unitId === BroadcastUnitId) {
      const executed = pduLength >= 1 && isExecutedWhenBroadcast(adu[pduStart]);
      for (const server of this.serverList) {
        if (executed) {
          server.context.broadcast = true;
          handleRequest(server.device, adu, pduStart, pduLength, this.scratch, 1, server.context);
          server.context.broadcast = false;
        } else {
          // A broadcast read is addressed to every server too: counted, not executed, not answered.
          server.diagnostics.serverMessageCount += 1;
          server.diagnostics.serverNoResponseCount += 1;
        }
      }
      return undefined;
    }
    const server = this.server(unitId);
    if (server === undefined) return undefined;
    const responseLength = handleRequest(server.device, adu, pduStart, pduLength, this.scratch, 1, server.context);
    if (responseLength === 0) return undefined;
    const response = Buffer.allocUnsafe(responseLength + rtuFraming.headerLength + rtuFraming.checksumLength);
    response.set(this.scratch.subarray(1, 1 + responseLength), rtuFraming.headerLength);
    rtuFraming.seal(response, 0, responseLength, unitId, 0);
    return response;
  }

  /** A frame the framer dropped: every server on the bus saw it. */
  noteDrop(reason: RtuDropReason): void {
    switch (reason) {
      case 'other-unit':
        // a good frame (its CRC checks) on the bus, for somebody else
        this.countOnEveryServer('busMessageCount', 1);
        break;
      case 'bad-crc':
      case 'incomplete':
        this.countOnEveryServer('busCommunicationErrorCount', 1);
        break;
      case 'overrun':
        this.countOnEveryServer('busCharacterOverrunCount', 1);
        break;
    }
  }

  private countOnEveryServer(counter: 'busMessageCount' | 'busCommunicationErrorCount' | 'busCharacterOverrunCount', amount: number): void {
    for (const server of this.serverList) server.diagnostics[counter] += amount;
  }
}
