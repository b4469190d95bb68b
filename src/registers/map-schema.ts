/**
 * The register-map file format (register-map/<profile>.yaml), as a zod 4 schema. The JSON Schema
 * for editors (register-map/schema.json) is generated from it by scripts/emit-map-schema.ts.
 * Semantic checks the schema cannot express (overlaps, unknown quantities, bounds on writes ...)
 * are done by load-map.ts.
 */
import { z } from 'zod';

export const SPACES = ['input', 'holding', 'coil', 'discrete'] as const;
export type Space = (typeof SPACES)[number];

export const REGISTER_TYPES = [
  'u16', 'i16', 'u32', 'i32', 'u64', 'i64', 'f32', 'f64', 'string', 'bitfield', 'acc32', 'sunssf', 'bool',
] as const;
export type RegisterType = (typeof REGISTER_TYPES)[number];

export const WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

export const FILL_POLICIES = ['exception', 'zeros'] as const;
export type FillPolicy = (typeof FILL_POLICIES)[number];

const address = z.number().int().min(0).max(0xffff);
const templateValue = z.union([z.string(), z.number()]);

const eachRange = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
});

export const registerEntrySchema = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'Unique register name; may use {var} from `each`.' }),
    space: z.enum(SPACES).optional().meta({ description: 'Modbus table; default from `defaults.space`.' }),
    address: address.meta({ description: '0-based protocol address (what goes on the wire).' }),
    type: z.enum(REGISTER_TYPES).optional().meta({ description: 'Value type; default from `defaults.type` (bool in coil/discrete spaces).' }),
    length: z.number().int().min(1).max(125).optional().meta({ description: 'Registers occupied: required for string, 1..4 for bitfield.' }),
    wordOrder: z.enum(WORD_ORDERS).optional().meta({ description: 'ABCD = big-endian words high first; CDAB = low word first; BADC = bytes swapped in each word; DCBA = little-endian.' }),
    scale: z.number().refine((v) => v !== 0, 'scale must not be 0').optional().meta({ description: 'wire value = SI value * scale + offset (e.g. 0.001 for Wh -> kWh, 100 for ratio -> %).' }),
    offset: z.number().optional(),
    scaleFactor: z.string().optional().meta({ description: 'Name of a sunssf register: wire value = SI value * 10^-sf.' }),
    unit: z.string().optional().meta({ description: 'Unit of the value on the wire (documentation).' }),
    quantity: z.string().optional().meta({ description: 'Meter quantity read into this register (see docs/registers.md).' }),
    value: templateValue.optional().meta({ description: 'Constant value (markers, model ids, lengths, fixed settings).' }),
    access: z.enum(['read', 'write']).optional().meta({ description: 'read (default) or write (read-write; needs min and max).' }),
    setting: z.string().optional().meta({ description: 'Meter setting a write changes.' }),
    command: z.string().optional().meta({ description: 'Action a write triggers: resetDemand, resetEnergy, relay, unlock, selectEvent, selectProfile.' }),
    min: z.number().optional().meta({ description: 'Lowest accepted wire value of a write.' }),
    max: z.number().optional().meta({ description: 'Highest accepted wire value of a write.' }),
    protected: z.boolean().optional().meta({ description: 'Write needs the password written to the unlock register first.' }),
    description: z.string().optional(),
    each: z
      .record(z.string(), z.union([z.array(templateValue).min(1), eachRange]))
      .optional()
      .meta({ description: 'Repeat this register over each combination (last key varies fastest); {key} in strings is replaced.' }),
    stride: z.number().int().min(1).optional().meta({ description: 'Address step per repetition (default: the register length).' }),
    when: z.record(z.string(), templateValue).optional().meta({ description: 'Include only when the profile options match.' }),
  })
  .meta({ description: 'One register (or a repeated group, with `each`).' });

export type RegisterEntry = z.infer<typeof registerEntrySchema>;

export const registerMapSchema = z
  .strictObject({
    $schema: z.string().optional(),
    profile: z.string().regex(/^[a-z0-9-]+$/).meta({ description: 'Profile name (the file name without .yaml).' }),
    title: z.string(),
    description: z.string().optional(),
    rtu: z
      .strictObject({
        baudRate: z.number().int().positive(),
        dataBits: z.union([z.literal(7), z.literal(8)]),
        parity: z.enum(['none', 'even', 'odd']),
        stopBits: z.union([z.literal(1), z.literal(2)]),
        unitId: z.number().int().min(1).max(247),
      })
      .optional()
      .meta({ description: 'Serial defaults of the real meter, for the serve command.' }),
    options: z
      .record(
        z.string(),
        z.strictObject({
          values: z.array(templateValue).min(1),
          default: templateValue,
          description: z.string().optional(),
        }),
      )
      .optional(),
    fill: z
      .strictObject({
        input: z.enum(FILL_POLICIES).optional(),
        holding: z.enum(FILL_POLICIES).optional(),
        coil: z.enum(FILL_POLICIES).optional(),
        discrete: z.enum(FILL_POLICIES).optional(),
      })
      .optional()
      .meta({ description: 'Reads of unmapped addresses: exception 02 (default) or zeros, per space.' }),
    reserved: z
      .array(
        z.strictObject({
          space: z.enum(SPACES),
          from: address,
          to: address,
          description: z.string().optional(),
        }),
      )
      .optional()
      .meta({ description: 'Address ranges (inclusive) whose unmapped addresses read as zeros, as the real meter\'s reserved gaps do, while reads elsewhere outside the map answer exception 02. Writes there still answer 02.' }),
    defaults: z
      .strictObject({
        space: z.enum(SPACES).optional(),
        type: z.enum(REGISTER_TYPES).optional(),
        wordOrder: z.enum(WORD_ORDERS).optional(),
      })
      .optional(),
    security: z
      .strictObject({
        password: z.number().int().min(1),
        timeout: z.number().positive().meta({ description: 'Seconds an unlock lasts.' }),
        lockedException: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
      })
      .optional(),
    identification: z
      .array(
        z.strictObject({
          id: z.number().int().min(0).max(0xff),
          value: z.string().meta({ description: 'Text; {identity.model} etc. are replaced.' }),
        }),
      )
      .optional()
      .meta({ description: 'Device identification objects (FC43/14): 0 vendor, 1 product code, 2 revision, 3.. regular, 0x80.. extended.' }),
    registers: z.array(registerEntrySchema),
  })
  .meta({ title: 'submeter register map', description: 'A Modbus register layout served by submeter.' });

export type RegisterMapFile = z.infer<typeof registerMapSchema>;

/** JSON Schema (draft 2020-12) of the map format, for editors. */
export function registerMapJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(registerMapSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}
