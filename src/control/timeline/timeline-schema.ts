/**
 * The YAML timeline format, validated with zod. A timeline is a list of steps (or an object with
 * `meter`, the default target, and `steps`). Each step has `at` (time after the start), an
 * optional `meter`, and exactly one action:
 *
 *   - at: 30s
 *     sag: {phase: 2, depth: 0.5, duration: 200ms}
 *   - at: 60s
 *     drop: {responses: 5}
 *   - at: 90s
 *     clear: all
 *
 * Physical actions (load, sag, swell, interruption, phase-loss, reverse-power, frequency,
 * magnetic-tamper, cover-open) become PhysicalScenarios; communication actions (drop = no-response,
 * delay, exception, corrupt-crc, truncate, extra-bytes, wrong-unit-id, wrong-transaction-id,
 * disconnect) become CommFaultSpecs; `clear: faults|scenarios|all` ends what is active.
 */
import { errorMessage } from '../../common/error-message.js';
import { z } from 'zod';
import type { CommFaultSpec } from '../../modbus/faults/comm-fault.js';
import { commFaultSpecSchema } from '../../modbus/faults/comm-fault-schema.js';
import { physicalScenarioSchema, type PhysicalScenario } from '../physical-scenario.js';
import { parseDuration } from './duration.js';

export type TimelineAction =
  | { type: 'scenario'; scenario: PhysicalScenario }
  | { type: 'fault'; spec: CommFaultSpec }
  | { type: 'clear'; what: 'faults' | 'scenarios' | 'all' };

export interface TimelineStep {
  /** Offset from the timeline's start (ms). */
  atMs: number;
  /** Target meter id; undefined: the timeline's default, else every meter (physical) or every endpoint (comm). */
  meter: string | undefined;
  action: TimelineAction;
  /** 1-based line of the step in the YAML text (0 when not from text). */
  line: number;
}

const durationField = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: errorMessage(error) });
    return z.NEVER;
  }
});

const loose = z.record(z.string(), z.unknown());

const physicalKeys = ['load', 'sag', 'swell', 'interruption', 'phase-loss', 'reverse-power', 'frequency', 'magnetic-tamper', 'cover-open'] as const;
const commKeys = ['drop', 'delay', 'exception', 'corrupt-crc', 'truncate', 'extra-bytes', 'wrong-unit-id', 'wrong-transaction-id', 'disconnect'] as const;
const actionKeys = [...physicalKeys, ...commKeys, 'clear'] as const;

/** Timeline field names -> scenario/spec field names (what people write vs. the API). */
const PHYSICAL_RENAMES: Record<string, string> = { duration: 'durationMs', current: 'currentA', pf: 'powerFactor' };
const COMM_RENAMES: Record<string, string> = {
  duration: 'durationMs',
  responses: 'count',
  requests: 'count',
  ms: 'delayMs',
  jitter: 'jitterMs',
  unit: 'unitId',
};
const DURATION_FIELDS = new Set(['duration', 'ms', 'jitter']);

const stepSchema = z
  .object({
    at: durationField,
    meter: z.string().min(1).optional(),
    ...Object.fromEntries(physicalKeys.map((k) => [k, z.union([loose, z.literal(true)]).optional()])),
    ...Object.fromEntries(commKeys.map((k) => [k, z.union([loose, z.literal(true)]).optional()])),
    clear: z.enum(['faults', 'scenarios', 'all']).optional(),
  })
  .strict();

export const timelineSchema = z.union([
  z.array(stepSchema),
  z.object({ meter: z.string().min(1).optional(), steps: z.array(stepSchema) }).strict(),
]);

export interface TimelineIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Turn one validated raw step into a TimelineStep; issues are reported with paths relative to
 * the step, in the timeline's own field names.
 */
export function toTimelineStep(
  raw: z.infer<typeof stepSchema>,
  defaultMeter: string | undefined,
  line: number,
): { step?: TimelineStep; issues: TimelineIssue[] } {
  const record = raw as Record<string, unknown>;
  const present = actionKeys.filter((k) => record[k] !== undefined);
  if (present.length !== 1) {
    return {
      issues: [
        {
          path: [],
          message:
            present.length === 0
              ? `a step needs one action: ${actionKeys.join(', ')}`
              : `a step has exactly one action, found ${present.join(', ')}`,
        },
      ],
    };
  }
  const key = present[0];
  const meter = raw.meter ?? defaultMeter;
  if (key === 'clear') {
    return { step: { atMs: raw.at, meter, action: { type: 'clear', what: raw.clear ?? 'all' }, line }, issues: [] };
  }
  const body = record[key] === true ? {} : (record[key] as Record<string, unknown>);
  const isPhysical = (physicalKeys as readonly string[]).includes(key);
  const renames = isPhysical ? PHYSICAL_RENAMES : COMM_RENAMES;
  const issues: TimelineIssue[] = [];
  const converted: Record<string, unknown> = {};
  const scope: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body)) {
    let v = value;
    if (DURATION_FIELDS.has(field) && (typeof value === 'string' || typeof value === 'number')) {
      try {
        v = parseDuration(value);
      } catch (error) {
        issues.push({ path: [key, field], message: errorMessage(error) });
        continue;
      }
    }
    if (!isPhysical && (field === 'endpoint' || field === 'unit' || field === 'functions')) {
      scope[field === 'unit' ? 'unitId' : field === 'functions' ? 'functionCodes' : 'endpoint'] = v;
      continue;
    }
    converted[renames[field] ?? field] = v;
  }
  if (issues.length > 0) return { issues };
  if (Object.keys(scope).length > 0) converted.scope = scope;
  const kind = key === 'drop' ? 'no-response' : key;
  const candidate = { kind, ...converted };
  const schema = isPhysical ? physicalScenarioSchema : commFaultSpecSchema;
  const parsed = schema.safeParse(candidate);
  if (!parsed.success) {
    const back = Object.fromEntries(Object.entries(renames).map(([from, to]) => [to, from]));
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'string' ? (p === 'unitId' || p === 'functionCodes' || p === 'scope' ? p : back[p] ?? p) : Number(p)));
      const at = [key, ...path.filter((p) => p !== 'scope').map((p) => (p === 'unitId' ? 'unit' : p === 'functionCodes' ? 'functions' : p))];
      if (issue.code === 'unrecognized_keys') for (const k of issue.keys) issues.push({ path: [...at, back[k] ?? k], message: `unknown field "${back[k] ?? k}"` });
      else issues.push({ path: at, message: issue.message });
    }
    return { issues };
  }
  const action: TimelineAction = isPhysical
    ? { type: 'scenario', scenario: parsed.data as PhysicalScenario }
    : { type: 'fault', spec: parsed.data as CommFaultSpec };
  return { step: { atMs: raw.at, meter, action, line }, issues: [] };
}
