/**
 * Physical scenarios: what happens on the wires a meter measures, described as data. They reach
 * the meter through its measurement source (the waveform layer's run-time changes), so the
 * metrology and the event log see them exactly as they would see a recorded waveform; magnetic
 * tamper and cover open go through the meter's own injection.
 *
 * Phases are numbered 1..3 (L1..L3); an absent phase means all three. Durations in ms; an absent
 * duration means "until cleared".
 */
import { z } from 'zod';

const phase = z.number().int().min(1).max(3);
const durationMs = z.number().gt(0).max(365 * 86_400_000);

export const physicalScenarioSchema = z.discriminatedUnion('kind', [
  /** Change the load from now on: current (A), power factor (signed: negative = capacitive), harmonics (current, ratio of the fundamental). */
  z
    .object({
      kind: z.literal('load'),
      phase: phase.optional(),
      currentA: z.number().min(0).max(100_000).optional(),
      powerFactor: z.number().min(-1).max(1).refine((pf) => pf !== 0, 'must not be 0 (use currentA: 0 for no load)').optional(),
      harmonics: z
        .array(z.object({ order: z.number().int().min(2).max(31), ratio: z.number().min(0).max(2) }).strict())
        .optional(),
      durationMs: durationMs.optional(),
    })
    .strict()
    .refine((s) => s.currentA !== undefined || s.powerFactor !== undefined || s.harmonics !== undefined, {
      message: 'a load change needs currentA, powerFactor or harmonics',
    }),
  /** Voltage sag: the voltage drops by `depth` (0.5 = to 50 % of its value). */
  z.object({ kind: z.literal('sag'), phase: phase.optional(), depth: z.number().gt(0).lt(1), durationMs }).strict(),
  /** Voltage swell: the voltage rises by `rise` (0.15 = to 115 %). */
  z.object({ kind: z.literal('swell'), phase: phase.optional(), rise: z.number().gt(0).max(1), durationMs }).strict(),
  /** Interruption: voltage and current to zero. */
  z.object({ kind: z.literal('interruption'), phase: phase.optional(), durationMs }).strict(),
  /** Phase loss: one phase's voltage and current to zero. */
  z.object({ kind: z.literal('phase-loss'), phase, durationMs: durationMs.optional() }).strict(),
  /** Reverse power: the current turns around (export), on one phase or all. */
  z.object({ kind: z.literal('reverse-power'), phase: phase.optional(), durationMs: durationMs.optional() }).strict(),
  /** Frequency deviation: the supply runs at this frequency (Hz). */
  z.object({ kind: z.literal('frequency'), hz: z.number().min(42).max(68), durationMs: durationMs.optional() }).strict(),
  /** Magnetic tamper detected (injected into the meter's event log). */
  z.object({ kind: z.literal('magnetic-tamper'), durationMs: durationMs.optional() }).strict(),
  /** Terminal cover opened (injected into the meter's event log). */
  z.object({ kind: z.literal('cover-open'), durationMs: durationMs.optional() }).strict(),
]);

export type PhysicalScenario = z.infer<typeof physicalScenarioSchema>;
export type PhysicalScenarioKind = PhysicalScenario['kind'];

export const PHYSICAL_SCENARIO_KINDS: readonly PhysicalScenarioKind[] = [
  'load',
  'sag',
  'swell',
  'interruption',
  'phase-loss',
  'reverse-power',
  'frequency',
  'magnetic-tamper',
  'cover-open',
];
