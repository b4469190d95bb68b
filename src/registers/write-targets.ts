/**
 * What a write to each address of a register map would change: a setting, a command (reset,
 * relay, unlock, record selection), or something else. The role table (src/runtime/security)
 * uses it to decide which writes a Modbus/TCP Security role may make; the map is the one place
 * that knows which registers are settings and which are commands.
 */
import type { RegisterMap } from './register-map.js';
import type { CommandName } from './setting-catalogue.js';

export type WriteTarget = { kind: 'setting'; name: string } | { kind: 'command'; name: CommandName } | { kind: 'other' };

/** The writable spaces: holding registers (FC 6, 16, 22, 23) and coils (FC 5, 15). */
export type WritableSpace = 'holding' | 'coil';

export interface MapWriteTargets {
  /** The target of every writable address of a space (an address not here is not writable in the map). */
  readonly holding: ReadonlyMap<number, WriteTarget>;
  readonly coil: ReadonlyMap<number, WriteTarget>;
}

export function writeTargets(map: RegisterMap): MapWriteTargets {
  const holding = new Map<number, WriteTarget>();
  const coil = new Map<number, WriteTarget>();
  for (const register of map.registers) {
    if (register.access !== 'write' || (register.space !== 'holding' && register.space !== 'coil')) continue;
    const target: WriteTarget =
      register.setting !== undefined
        ? { kind: 'setting', name: register.setting.name }
        : register.command !== undefined
          ? { kind: 'command', name: register.command }
          : { kind: 'other' };
    const into = register.space === 'holding' ? holding : coil;
    for (let i = 0; i < register.length; i += 1) into.set(register.address + i, target);
  }
  return { holding, coil };
}
