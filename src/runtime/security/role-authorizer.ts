/**
 * The role table applied to requests: for one role and the register maps of an endpoint's units,
 * a RequestAuthorizer (the src/modbus seam) that answers per request from precomputed tables (a
 * function-code set; per unit and writable space one byte per address), so the hot path
 * allocates nothing and reads at most `quantity` bytes.
 */
import type { RequestAuthorizer } from '../../modbus/request-authorizer.js';
import type { MapWriteTargets, WriteTarget } from '../../registers/write-targets.js';
import type { RoleRights } from './role-table.js';

/** What the authorizer knows about a unit id: its profile and what its writable registers are. */
export interface UnitWriteTargets {
  profile: string;
  targets: MapWriteTargets | undefined;
}

interface SpaceRights {
  holding: Uint8Array;
  coil: Uint8Array;
}

const addressCount = 0x10000;

function targetAllowed(rights: RoleRights, target: WriteTarget | undefined): boolean {
  if (rights.writes.includes('any')) return true;
  if (target === undefined || target.kind === 'other') return false;
  if (target.kind === 'setting') return rights.writes.includes('settings');
  return rights.writes.includes('commands') || rights.writes.includes(target.name);
}

function spaceRights(rights: RoleRights, unit: UnitWriteTargets): SpaceRights {
  const result: SpaceRights = { holding: new Uint8Array(addressCount), coil: new Uint8Array(addressCount) };
  for (const space of ['holding', 'coil'] as const) {
    const table = result[space];
    const targets = unit.targets?.[space];
    if (rights.writes.includes('any')) table.fill(1);
    else if (targets !== undefined) for (const [address, target] of targets) if (targetAllowed(rights, target)) table[address] = 1;
    for (const range of rights.ranges) {
      if (range.space !== space || (range.profile !== undefined && range.profile !== unit.profile)) continue;
      table.fill(1, Math.max(0, range.first), Math.min(addressCount, range.last + 1));
    }
  }
  return result;
}

function u16(pdu: Uint8Array, at: number): number {
  return ((pdu[at] ?? 0) << 8) | (pdu[at + 1] ?? 0);
}

function rangeAllowed(table: Uint8Array, address: number, quantity: number): boolean {
  if (quantity < 1 || address + quantity > addressCount) return false;
  for (let a = address; a < address + quantity; a += 1) if (table[a] !== 1) return false;
  return true;
}

export class RoleAuthorizer implements RequestAuthorizer {
  private readonly functions = new Uint8Array(256);
  private readonly units: (SpaceRights | undefined)[] = new Array<SpaceRights | undefined>(256).fill(undefined);

  /** `units`: unit id -> what it serves; units sharing one UnitWriteTargets object share tables. */
  constructor(rights: RoleRights, units: ReadonlyMap<number, UnitWriteTargets>) {
    for (const code of rights.functions) if (code >= 0 && code < 256) this.functions[code] = 1;
    const shared = new Map<UnitWriteTargets, SpaceRights>();
    for (const [unit, targets] of units) {
      let tables = shared.get(targets);
      if (tables === undefined) {
        tables = spaceRights(rights, targets);
        shared.set(targets, tables);
      }
      this.units[unit & 0xff] = tables;
    }
  }

  allows(unitId: number, pdu: Uint8Array, start: number, length: number): boolean {
    const code = pdu[start] ?? 0;
    if (this.functions[code] !== 1) return false;
    const tables = this.units[unitId & 0xff];
    switch (code) {
      case 5: // write single coil
        return length >= 3 && tables !== undefined && tables.coil[u16(pdu, start + 1)] === 1;
      case 15: // write multiple coils
        return length >= 5 && tables !== undefined && rangeAllowed(tables.coil, u16(pdu, start + 1), u16(pdu, start + 3));
      case 6: // write single register
      case 22: // mask write register
        return length >= 3 && tables !== undefined && tables.holding[u16(pdu, start + 1)] === 1;
      case 16: // write multiple registers
        return length >= 5 && tables !== undefined && rangeAllowed(tables.holding, u16(pdu, start + 1), u16(pdu, start + 3));
      case 23: // read/write multiple registers: the write part
        return length >= 9 && tables !== undefined && rangeAllowed(tables.holding, u16(pdu, start + 5), u16(pdu, start + 7));
      default:
        return true;
    }
  }
}
