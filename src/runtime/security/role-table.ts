/**
 * The role table of Modbus/TCP Security: role name -> rights. A right is a function code served
 * at all, and for writes what they may touch: every setting, every command, a command by name,
 * anything ('any'), or explicit register ranges (optionally for one profile's map only). Which
 * register is a setting and which a command comes from the register map (src/registers
 * write-targets.ts), so the same role means the same thing on every profile.
 *
 * Built-in roles (a panel config may redefine them or add others):
 *   reader:   every read function (1, 2, 3, 4) and FC43 read device identification;
 *   operator: + writes of settings (FC 5, 6, 15, 16, 22, 23), the password entry (unlock: protected
 *             settings stay behind the meter's password) and event/profile record selection;
 *   admin:    + every write: commands (reset demand, reset energy, relay, ...), anything mapped.
 */
import { COMMANDS } from '../../registers/setting-catalogue.js';

export const readFunctions: readonly number[] = [1, 2, 3, 4, 43];
export const writeFunctions: readonly number[] = [5, 6, 15, 16, 22, 23];

/** What writes may touch. */
export const WRITE_RIGHTS = ['settings', 'commands', 'any', ...COMMANDS] as const;
export type WriteRight = (typeof WRITE_RIGHTS)[number];

export interface RegisterRangeGrant {
  /** Only on meters of this profile (titan, sdm630 ...); every profile when absent. */
  profile?: string | undefined;
  space: 'holding' | 'coil';
  /** First and last address (0-based protocol addresses), inclusive. */
  first: number;
  last: number;
}

export interface RoleRights {
  /** Function codes served at all; any other is refused with exception 01. */
  functions: readonly number[];
  /** What a write (of an allowed write function) may touch. */
  writes: readonly WriteRight[];
  /** Register ranges writable besides `writes`. */
  ranges: readonly RegisterRangeGrant[];
}

export type RoleTable = Readonly<Record<string, RoleRights>>;

export const builtInRoles: RoleTable = Object.freeze({
  reader: { functions: readFunctions, writes: [], ranges: [] },
  operator: { functions: [...readFunctions, ...writeFunctions], writes: ['settings', 'unlock', 'selectEvent', 'selectProfile'], ranges: [] },
  admin: { functions: [...readFunctions, ...writeFunctions], writes: ['any'], ranges: [] },
});

/** The built-in roles with a config's roles added (a role of the same name replaces the built-in one). */
export function roleTableWith(configured: RoleTable | undefined): RoleTable {
  return Object.freeze({ ...builtInRoles, ...configured });
}
