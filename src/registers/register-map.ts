/** A register map after loading and validation: what the compiler and the documentation use. */
import type { CommandName, Setting } from './setting-catalogue.js';
import type { FillPolicy, RegisterType, Space, WordOrder } from './map-schema.js';
import type { Quantity } from './quantity-catalogue.js';

export type RegisterSource =
  | { kind: 'quantity'; quantity: Quantity }
  | { kind: 'constant'; value: number | string }
  | { kind: 'none' };

export interface MappedRegister {
  name: string;
  space: Space;
  address: number;
  /** Registers (or bits, in coil/discrete spaces) occupied. */
  length: number;
  type: RegisterType;
  wordOrder: WordOrder;
  /** wire = SI * scale + offset (scale includes a SunSpec scale factor, if any). */
  scale: number;
  offset: number;
  /** Name of the sunssf register whose exponent is folded into `scale`. */
  scaleFactor: string | undefined;
  unit: string;
  description: string;
  source: RegisterSource;
  access: 'read' | 'write';
  setting: Setting | undefined;
  command: CommandName | undefined;
  min: number | undefined;
  max: number | undefined;
  protected: boolean;
  /** Line in the map file (for messages and documentation). */
  line: number;
}

export interface RtuDefaults {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
  unitId: number;
}

export interface SecuritySettings {
  password: number;
  timeoutS: number;
  /** Exception answered to a write of a protected register while locked. */
  lockedException: 1 | 2 | 3 | 4;
}

/** An address range (inclusive) whose unmapped addresses read as zeros (a reserved gap of the real meter). */
export interface ReservedRange {
  space: Space;
  from: number;
  to: number;
  description: string;
}

export interface RegisterMap {
  file: string;
  profile: string;
  title: string;
  description: string;
  rtu: RtuDefaults | undefined;
  /** Option values this map was loaded with (e.g. { model: 213 }). */
  options: Readonly<Record<string, string | number>>;
  /** Every option the map declares, with the values it accepts. */
  optionValues: Readonly<Record<string, ReadonlyArray<string | number>>>;
  fill: Readonly<Record<Space, FillPolicy>>;
  /** Reserved gaps that read as zeros (under fill: exception; see ReservedRange). */
  reserved: readonly ReservedRange[];
  security: SecuritySettings | undefined;
  /** Object id -> text template ({identity.model} ...). */
  identification: ReadonlyArray<{ id: number; template: string }>;
  registers: readonly MappedRegister[];
}
