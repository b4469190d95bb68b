/**
 * A meter's register map as its Modbus device serves it right now, read in process (no socket):
 * the same blocks and decoding `submeter read` uses, with the raw 16-bit words kept. What the
 * dashboard's register view and `GET /meters/{id}/registers` show.
 */
import type { RegisterRow } from '../../control/control-registry.js';
import type { ModbusDevice } from '../../modbus/device.js';
import type { RegisterMap } from '../../registers/register-map.js';
import { decodeBlock, planReads, type ReadBlock } from './read-plan.js';

function readBlock(device: ModbusDevice, block: ReadBlock): Uint8Array | boolean[] {
  if (block.space === 'coil' || block.space === 'discrete') {
    const packed = new Uint8Array(Math.ceil(block.quantity / 8));
    if (block.space === 'coil') device.readCoils(block.address, block.quantity, packed, 0);
    else device.readDiscreteInputs(block.address, block.quantity, packed, 0);
    return Array.from({ length: block.quantity }, (_, i) => ((packed[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
  }
  const bytes = new Uint8Array(block.quantity * 2);
  if (block.space === 'input') device.readInputRegisters(block.address, block.quantity, bytes, 0);
  else device.readHoldingRegisters(block.address, block.quantity, bytes, 0);
  return bytes;
}

export function servedRegisterRows(map: RegisterMap, device: ModbusDevice): RegisterRow[] {
  const rows: RegisterRow[] = [];
  for (const block of planReads(map)) {
    let data: Uint8Array | boolean[];
    try {
      data = readBlock(device, block);
    } catch {
      continue; // a block the device refuses (exception) is not shown
    }
    const decoded = decodeBlock(block, data);
    block.registers.forEach((register, i) => {
      const value = decoded[i];
      if (value === undefined) return;
      const at = register.address - block.address;
      const words: number[] = [];
      if (Array.isArray(data)) words.push(data[at] === true ? 1 : 0);
      else for (let w = 0; w < register.length; w++) words.push(((data[(at + w) * 2] ?? 0) << 8) | (data[(at + w) * 2 + 1] ?? 0));
      rows.push({ name: value.name, space: value.space, address: value.address, words, value: value.value, unit: value.unit, quantity: value.quantity });
    });
  }
  return rows;
}
