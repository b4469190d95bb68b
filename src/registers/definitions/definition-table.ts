/**
 * An independent register definition: a table of a real meter's registers transcribed from public
 * sources (a manufacturer's protocol document, other people's polling software), in the sources'
 * own terms: function code, address, type, word order, multiplier and unit. It is checked
 * against a meter (definition-check.ts) without using the register map it is meant to verify.
 *
 * File format (YAML): profile, options, unit, sources [{ id, repository, file, commit, date,
 * note }], registers [{ name, function, address, type, length, order, multiplier, offset,
 * scaleFactorAt, unit, quantity | value, sources }]. Value in `unit` = raw x multiplier
 * (x 10^sf when scaleFactorAt names a SunSpec scale-factor register) + offset.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export const DEFINITION_TYPES = ['uint16', 'int16', 'uint32', 'int32', 'uint64', 'int64', 'float32', 'float64', 'acc32', 'sunssf', 'string'] as const;
export type DefinitionType = (typeof DEFINITION_TYPES)[number];

const address = z.number().int().min(0).max(0xffff);

const definitionRegisterSchema = z.strictObject({
  name: z.string().min(1),
  function: z.union([z.literal(3), z.literal(4)]),
  address,
  type: z.enum(DEFINITION_TYPES),
  /** Registers of a string. */
  length: z.number().int().min(1).max(125).optional(),
  /** ABCD: high word first; CDAB: low word first. */
  order: z.enum(['ABCD', 'CDAB']).optional(),
  multiplier: z.number().optional(),
  offset: z.number().optional(),
  scaleFactorAt: address.optional(),
  unit: z.string().optional(),
  quantity: z.string().optional(),
  value: z.union([z.number(), z.string()]).optional(),
  sources: z.array(z.string()).min(1),
  note: z.string().optional(),
});

export const definitionTableSchema = z.strictObject({
  profile: z.string(),
  options: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  unit: z.number().int().min(0).max(255).optional(),
  sources: z
    .array(
      z.strictObject({
        id: z.string(),
        repository: z.string(),
        file: z.string(),
        commit: z.string().optional(),
        date: z.string().optional(),
        note: z.string().optional(),
      }),
    )
    .min(1),
  registers: z.array(definitionRegisterSchema).min(1),
});

export type DefinitionRegister = z.infer<typeof definitionRegisterSchema>;
export type DefinitionTable = z.infer<typeof definitionTableSchema>;

/** Registers (16-bit words) a definition entry occupies. */
export function wordsOf(register: DefinitionRegister): number {
  switch (register.type) {
    case 'uint16': case 'int16': case 'sunssf': return 1;
    case 'uint32': case 'int32': case 'float32': case 'acc32': return 2;
    case 'uint64': case 'int64': case 'float64': return 4;
    case 'string': return register.length ?? 1;
  }
}

/** Parse and check a definition table; problems name the file and the register. */
export function parseDefinitionTable(text: string, file: string): DefinitionTable {
  const parsed = definitionTableSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${file}: ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid definition table\n${issues.join('\n')}`);
  }
  const table = parsed.data;
  const ids = new Set(table.sources.map((s) => s.id));
  const problems: string[] = [];
  for (const r of table.registers) {
    for (const id of r.sources) if (!ids.has(id)) problems.push(`${file}: ${r.name}: unknown source "${id}"`);
    if ((r.quantity === undefined) === (r.value === undefined)) problems.push(`${file}: ${r.name}: give either quantity or value`);
    if (r.type === 'string' && r.length === undefined) problems.push(`${file}: ${r.name}: a string needs a length`);
  }
  if (problems.length > 0) throw new Error(`invalid definition table\n${problems.join('\n')}`);
  return table;
}

export function loadDefinitionTable(path: string): DefinitionTable {
  return parseDefinitionTable(readFileSync(path, 'utf8'), path);
}
