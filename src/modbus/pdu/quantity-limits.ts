/** Quantity limits of the specification's state diagrams (values outside answer exception 03). */
export const QuantityLimits = {
  readBits: 2000,
  readRegisters: 125,
  writeBits: 1968,
  writeRegisters: 123,
  readWriteRead: 125,
  readWriteWrite: 121,
} as const;
