/**
 * Character timing on a Modbus serial line (Modbus over Serial Line V1.02, section 2.5.1.1).
 * A character is 11 bits (start, 8 data, parity or a second stop bit, stop). Frames are separated
 * by a silence of at least 3.5 characters (t3.5); above 19200 baud the specification fixes
 * t3.5 at 1.75 ms and t1.5 at 0.75 ms so that fast lines do not need microsecond timers.
 */
export const BitsPerCharacter = 11;

/** Time one character takes on the wire, in ms. */
export function characterTimeMs(baudRate: number): number {
  return (BitsPerCharacter * 1000) / baudRate;
}

/** The inter-frame silence t3.5 in ms. */
export function interFrameSilenceMs(baudRate: number): number {
  if (!(baudRate > 0)) throw new RangeError(`baud rate must be positive, got ${baudRate}`);
  return baudRate > 19200 ? 1.75 : 3.5 * characterTimeMs(baudRate);
}

/** Time `byteCount` characters take on the wire, in ms. */
export function wireTimeMs(byteCount: number, baudRate: number): number {
  return byteCount * characterTimeMs(baudRate);
}
