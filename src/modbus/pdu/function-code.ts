/** Modbus public function codes served by submeter (Modbus Application Protocol V1.1b3, section 6). */
export const FunctionCode = {
  ReadCoils: 0x01,
  ReadDiscreteInputs: 0x02,
  ReadHoldingRegisters: 0x03,
  ReadInputRegisters: 0x04,
  WriteSingleCoil: 0x05,
  WriteSingleRegister: 0x06,
  Diagnostics: 0x08,
  WriteMultipleCoils: 0x0f,
  WriteMultipleRegisters: 0x10,
  ReportServerId: 0x11,
  MaskWriteRegister: 0x16,
  ReadWriteMultipleRegisters: 0x17,
  EncapsulatedInterface: 0x2b,
} as const;

export type FunctionCode = (typeof FunctionCode)[keyof typeof FunctionCode];

/** MEI type of FC43 for Read Device Identification. */
export const MeiReadDeviceIdentification = 0x0e;

/** Largest PDU the specification allows (256-byte serial ADU minus address and CRC). */
export const MaxPduLength = 253;
