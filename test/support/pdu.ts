/** Small helpers to write request PDUs in tests. */
export function pdu(...bytes: number[]): Uint8Array {
  return Uint8Array.from(bytes);
}

/** Splits a 16-bit value into its two big-endian bytes. */
export function word(value: number): [number, number] {
  return [(value >>> 8) & 0xff, value & 0xff];
}

export function words(values: readonly number[]): number[] {
  return values.flatMap((v) => word(v));
}

export function readWords(bytes: Uint8Array, offset: number, count: number): number[] {
  const result: number[] = [];
  for (let i = 0; i < count; i += 1) result.push((bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1]);
  return result;
}
