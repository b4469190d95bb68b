/**
 * A framing: how a PDU travels as an ADU on one kind of link, described once, as libmodbus's
 * backend table describes its TCP and RTU backends. The server's connections, the RTU request
 * framer, the client and the fault mutations all read the same descriptor; there are two:
 * mbapFraming (Modbus/TCP) and rtuFraming (serial line, RTU over TCP).
 *
 *   ADU = header (headerLength, unit id at unitIdOffset) | PDU | checksum (checksumLength)
 */

/** The framing's name, as logs and the control API show it. */
export type FramingName = 'mbap' | 'rtu';

/** What verify() found wrong: MBAP header rules, or the RTU CRC. */
export type MbapHeaderError = 'protocol-id' | 'length';
export type FrameError = MbapHeaderError | 'crc';

export interface FramingDescriptor<Error extends FrameError = FrameError> {
  readonly name: FramingName;
  /** Bytes before the PDU: 7 (MBAP header) or 1 (RTU unit id). */
  readonly headerLength: number;
  /** Bytes after the PDU: 0 (MBAP) or 2 (RTU CRC-16). */
  readonly checksumLength: number;
  /** Where the unit id is in the ADU. */
  readonly unitIdOffset: number;
  /** Where the 2-byte transaction id is (MBAP), undefined when the framing has none (RTU). */
  readonly transactionIdOffset: number | undefined;
  /** Smallest and largest ADU. */
  readonly minAduLength: number;
  readonly maxAduLength: number;
  /**
   * The length of the request ADU at bytes[start..], `available` bytes present: a positive length
   * or NeedMoreBytes, LengthEndsAtCrc, LengthUnknown, LengthInvalid (see length-result.ts).
   * MBAP reads its length field; RTU asks the table of function shapes.
   */
  requestLength(bytes: Uint8Array, start: number, available: number): number;
  /** The same for a response ADU (an exception response included). */
  responseLength(bytes: Uint8Array, start: number, available: number): number;
  /**
   * Completes the ADU whose PDU of `pduLength` bytes is at adu[start + headerLength..]: writes the
   * header (MBAP: transaction id, protocol id 0, length field, unit id; RTU: unit id) and appends
   * the checksum. Returns the ADU length. No allocation.
   */
  seal(adu: Uint8Array, start: number, pduLength: number, unitId: number, transactionId: number): number;
  /** What is wrong with the ADU bytes[start..start+length), or undefined when it is a good frame. */
  verify(bytes: Uint8Array, start: number, length: number): Error | undefined;
  /** The transaction id of the ADU at bytes[start..] (0 when the framing has none). */
  transactionId(bytes: Uint8Array, start: number): number;
}
