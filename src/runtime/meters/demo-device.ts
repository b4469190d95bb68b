import { MemoryDevice } from '../../modbus/memory-device.js';

/**
 * The demonstration device `submeter serve` answers with until the meter and register-map layers
 * provide a real one. Recognisable values (addresses 0-based):
 *   input registers 0..99   = 1000 + address            (mbpoll -0 -r 0 -c 10 -t 3 shows 1000..1009)
 *   input registers 100..105 = float32 big-endian 230.0 (V), 5.0 (A), 50.0 (Hz)
 *   holding registers 0..99 writable, start at 0; coils 0..99 writable; discrete inputs 0..99 = address odd
 */
export function buildDemoDevice(): MemoryDevice {
  const device = new MemoryDevice({
    inputRegisters: { start: 0, count: 200 },
    holdingRegisters: { start: 0, count: 100 },
    coils: { start: 0, count: 100 },
    discreteInputs: { start: 0, count: 100 },
    identification: new Map<number, string>([
      [0x00, 'submeter'],
      [0x01, 'submeter-demo'],
      [0x02, '0.1.0'],
      [0x04, 'submeter demonstration device'],
      [0x05, 'demo'],
    ]),
  });
  for (let address = 0; address < 100; address += 1) device.setInputRegister(address, 1000 + address);
  const floats = Buffer.alloc(12);
  floats.writeFloatBE(230.0, 0);
  floats.writeFloatBE(5.0, 4);
  floats.writeFloatBE(50.0, 8);
  for (let k = 0; k < 6; k += 1) device.setInputRegister(100 + k, floats.readUInt16BE(2 * k));
  for (let address = 1; address < 100; address += 2) device.setDiscreteInput(address, true);
  return device;
}
