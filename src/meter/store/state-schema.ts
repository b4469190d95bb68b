/**
 * What a restored meter state may contain, field by field: types, array lengths, ranges and the
 * order of sequence numbers. A file whose checksum is right may still have been written by hand or
 * by a buggy tool (`timeMs: -1`, an energy of 1e300, `relayClosed: "no"`); such a state is refused
 * with the file and the field named, never read as Infinity or as a truthy string.
 *
 * Bounds: times are whole ms within the Date range from 1970 on; counters are exact integers
 * (at most 2^53 - 1, what the counter bank can hold exactly) plus a fraction in [0, 1); every other
 * number is finite and at most 1e20 in magnitude (CT and PT ratios of 10,000 each at 2000 A and
 * 480 V integrate to about 1e17 W s per demand sub-period: far below, and far from overflow).
 * Settings are checked by the meter's own validateConfigurationChange: the bounds of a Modbus write.
 */
import { z } from 'zod';
import { DEMAND_QUANTITIES, LEGACY_DEMAND_QUANTITIES } from '../demand.js';
import { ENERGY_COUNTER_COUNT, LEGACY_ENERGY_COUNTER_COUNT } from '../energy-accumulator.js';
import { EventKind } from '../events/event-kind.js';
import { DEFAULT_CONFIGURATION, validateConfigurationChange } from '../meter-configuration.js';
import { METER_STATE_FORMAT_VERSION, type MeterState } from '../meter-state.js';
import { TARIFF_COUNT } from '../snapshot.js';

/** The last ms a Date can hold (year 275760). */
export const MAX_TIME_MS = 8.64e15;
/** Largest magnitude of any measured or accumulated quantity in a state. */
export const MAX_QUANTITY = 1e20;

const time = z.number().int().min(0).max(MAX_TIME_MS);
const quantity = z.number().min(-MAX_QUANTITY).max(MAX_QUANTITY);
const nonNegative = z.number().min(0).max(MAX_QUANTITY);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const triple = z.tuple([quantity, quantity, quantity]);
const demandArray = (item: z.ZodNumber, perQuantity = 1) =>
  z.array(item).refine((values) => values.length === DEMAND_QUANTITIES * perQuantity || values.length === LEGACY_DEMAND_QUANTITIES * perQuantity, {
    message: `expected ${DEMAND_QUANTITIES * perQuantity} values (or ${LEGACY_DEMAND_QUANTITIES * perQuantity} from an older state)`,
  });
const counterArray = (item: z.ZodNumber) =>
  z.array(item).refine((values) => values.length === ENERGY_COUNTER_COUNT || values.length === LEGACY_ENERGY_COUNTER_COUNT, {
    message: `expected ${ENERGY_COUNTER_COUNT} counters (or ${LEGACY_ENERGY_COUNTER_COUNT} from an older state)`,
  });

const counterBank = z.object({
  // a state saved before the appended counters existed holds fewer; the meter starts those at zero
  whole: counterArray(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)),
  fraction: counterArray(z.number().min(0).lt(1)),
});

const demand = z.object({
  method: z.enum(['block', 'sliding']),
  periodS: z.number().int().min(1).max(86_400),
  subPeriodS: z.number().int().min(1).max(86_400),
  // a state saved before the later demand quantities existed holds fewer; they restore at zero
  closed: z.array(demandArray(quantity)).max(3600),
  current: demandArray(quantity),
  currentElapsedS: nonNegative,
  last: demandArray(quantity),
  max: demandArray(quantity),
  maxTimeMs: demandArray(time),
  maxByTariff: demandArray(quantity, TARIFF_COUNT),
  maxTimeByTariffMs: demandArray(time, TARIFF_COUNT),
});

const energyRegisters = z.object({
  activeImportWh: nonNegative,
  activeExportWh: nonNegative,
  reactiveQ1varh: nonNegative,
  reactiveQ2varh: nonNegative,
  reactiveQ3varh: nonNegative,
  reactiveQ4varh: nonNegative,
  apparentVAh: nonNegative,
  activeNetWh: quantity.optional(),
});

const demandRegister = z.object({
  present: quantity,
  last: quantity,
  max: quantity,
  maxTimeMs: time,
  maxByTariff: z.array(quantity).max(TARIFF_COUNT),
  maxTimeByTariffMs: z.array(time).max(TARIFF_COUNT),
});

const billingRecord = z.object({
  sequence: count,
  startMs: time,
  endMs: time,
  energy: energyRegisters,
  tariffs: z.array(z.object({ activeImportWh: nonNegative, activeExportWh: nonNegative, co2Kg: nonNegative })).max(TARIFF_COUNT),
  co2Kg: nonNegative,
  demand: z.object({
    activeImport: demandRegister,
    activeExport: demandRegister,
    apparent: demandRegister,
    reactive: demandRegister,
    phaseCurrent: z.tuple([demandRegister, demandRegister, demandRegister]),
  }),
});

const profileRecord = z.object({
  timeMs: time,
  meanVoltage: triple,
  meanCurrent: triple,
  activeImportWh: nonNegative,
  activeExportWh: nonNegative,
  reactiveLagVarh: nonNegative,
  reactiveLeadVarh: nonNegative,
  apparentVAh: nonNegative,
  frequencyHz: nonNegative,
  status: z.number().int().min(0).max(0xffff_ffff),
});

const eventKinds = Object.values(EventKind) as [string, ...string[]];

const eventRecord = z.object({
  sequence: count,
  kind: z.enum(eventKinds),
  phase: z.number().int().min(0).max(3),
  startMs: time,
  endMs: time,
  extremeValue: quantity,
  detail: z.string().max(1000).optional(),
});

/** Sequence numbers of a record ring must increase, and the total logged must cover the ring. */
function ordered<T extends { sequence: number }>(records: readonly T[], total: number, ctx: z.RefinementCtx, what: string): void {
  if (total < records.length) ctx.addIssue({ code: 'custom', path: ['count'], message: `${total} is fewer than the ${records.length} ${what} held` });
  for (let i = 1; i < records.length; i += 1) {
    const previous = records[i - 1];
    const record = records[i];
    if (previous !== undefined && record !== undefined && record.sequence <= previous.sequence) {
      ctx.addIssue({ code: 'custom', path: ['records', i, 'sequence'], message: `${record.sequence} does not follow ${previous.sequence} (sequence numbers must increase)` });
      return;
    }
  }
}

const stateSchema = z.object({
  formatVersion: z.number().int().min(1).max(METER_STATE_FORMAT_VERSION),
  timeMs: time,
  identity: z.object({
    serialNumber: z.number().int().min(0).max(0xffff_ffff),
    vendor: z.string().max(200),
    model: z.string().max(200),
    firmware: z.string().max(200),
  }),
  configuration: z.record(z.string(), z.unknown()).superRefine((configuration, ctx) => {
    for (const key of Object.keys(configuration)) {
      if (!(key in DEFAULT_CONFIGURATION)) ctx.addIssue({ code: 'custom', path: [key], message: 'not a meter setting' });
    }
    try {
      validateConfigurationChange(DEFAULT_CONFIGURATION, configuration);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    }
  }),
  energy: counterBank,
  demand,
  billing: z
    .object({ count, periodStartMs: time, records: z.array(billingRecord).max(1000) })
    .superRefine((billing, ctx) => ordered(billing.records, billing.count, ctx, 'billing records')),
  profile: z
    .object({
      count,
      records: z.array(profileRecord).max(1_000_000),
      interval: z.object({
        seconds: nonNegative,
        voltageS: triple,
        currentS: triple,
        frequencyS: nonNegative,
        activeImportWh: nonNegative,
        activeExportWh: nonNegative,
        reactiveLagVarh: nonNegative,
        reactiveLeadVarh: nonNegative,
        apparentVAh: nonNegative,
        status: z.number().int().min(0).max(0xffff_ffff),
      }),
    })
    .superRefine((profile, ctx) => {
      if (profile.count < profile.records.length) ctx.addIssue({ code: 'custom', path: ['count'], message: `${profile.count} is fewer than the ${profile.records.length} records held` });
    }),
  events: z
    .object({ count, records: z.array(eventRecord).max(100_000) })
    .superRefine((events, ctx) => ordered(events.records, events.count, ctx, 'events')),
  relayClosed: z.boolean(),
  magneticTamper: z.boolean(),
  coverOpen: z.boolean(),
});

function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(the whole state)' : text;
}

function received(value: unknown, path: readonly PropertyKey[]): string {
  let at: unknown = value;
  for (const part of path) {
    if (typeof at !== 'object' || at === null) return '';
    at = (at as Record<PropertyKey, unknown>)[part];
  }
  if (at === undefined || typeof at === 'object') return '';
  const text = JSON.stringify(at);
  return ` (got ${text.length > 40 ? `${text.slice(0, 40)}...` : text})`;
}

/**
 * Checks a parsed state body field by field. Returns the state, or a problem naming the first bad
 * field ("energy.whole[0]: Too big: expected number to be <=9007199254740991 (got 1e+300)").
 */
export function checkMeterState(value: unknown): { state: MeterState } | { problem: string } {
  const result = stateSchema.safeParse(value);
  if (result.success) return { state: value as MeterState };
  const issue = result.error.issues[0];
  if (issue === undefined) return { problem: 'not a meter state' };
  return { problem: `${fieldPath(issue.path)}: ${issue.message}${received(value, issue.path)}` };
}
