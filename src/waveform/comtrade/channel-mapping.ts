/**
 * Which COMTRADE analog channels are the meter's phase voltages and currents.
 *
 * 1. By name: the channel name is split into tokens (spaces, '-', '_', '/', '.', ':'), and a token
 *    like UA, VA, Va, Van, Vag, U1, UL1, VL1, V1N (voltage) or IA, Ia, I1, IL1 (current), with the
 *    phase given as A/B/C, 1/2/3, L1/L2/L3 or R/S/T, names the slot; a bare L1/L2/L3 token takes
 *    its quantity from the unit (V or A). Names with Mag, Ang, Angle,
 *    Freq, THD, RMS are derived quantities and ignored; 3U0, U0, Vo, VN, UN, VX, 3I0, I0, IG, Id ...
 *    are not phases. IN (In, In1) is a measured neutral current. U12/U21/U23/U32/U31/U13 (and
 *    VAB ...) are line-to-line voltages.
 * 2. By the ph field and unit, for slots still empty: ph A/B/C (L1..L3, R/S/T) with a unit in V
 *    (kV, mV) or A (kA, mA). A numeric ph (Sepam writes channel numbers there) is not a phase.
 * 3. When no phase voltage exists but two line-to-line voltages do (the Sepam record wisp-4 has
 *    only U21 and U32), the phase voltages are derived assuming no zero-sequence voltage
 *    (ua + ub + uc = 0):  ua = (2 U12 + U23) / 3,  ub = ua - U12,  uc = ub - U23.
 *    Line-to-line voltages and total power of a three-wire system are then exact; per-phase
 *    voltages and powers are those of an artificial star point. The mapping says so in `notes`.
 * The caller can override any slot by channel name or 1-based channel number.
 * The first matching channel wins; later ones are reported in `notes`.
 */
import type { ComtradeAnalogChannel } from './config.js';

export type ChannelSlot = 'ua' | 'ub' | 'uc' | 'ia' | 'ib' | 'ic' | 'in';
export type LinePair = 'u12' | 'u23' | 'u31';

export const SLOTS: readonly ChannelSlot[] = ['ua', 'ub', 'uc', 'ia', 'ib', 'ic', 'in'];

/** Override: slot -> channel name (exact, trimmed) or 1-based channel number (An); null = no channel. */
export type ChannelMappingOverride = Partial<Record<ChannelSlot, string | number | null>>;

export interface LineVoltageChannel {
  /** 0-based index into the record's analog channels. */
  readonly index: number;
  /** +1 when the channel is the pair as named (U12 = u1 - u2), -1 when reversed (U21 = u2 - u1). */
  readonly sign: 1 | -1;
}

export interface ChannelMapping {
  /** 0-based analog channel index per slot; undefined = no such channel (zeros in the block). */
  readonly slots: Readonly<Record<ChannelSlot, number | undefined>>;
  /** Line-to-line voltage channels found. */
  readonly lineVoltages: Readonly<Partial<Record<LinePair, LineVoltageChannel>>>;
  /** True when the phase voltages are derived from line-to-line voltages (see the rule above). */
  readonly derivedPhaseVoltages: boolean;
  /** Human-readable remarks: what was derived, missing, ignored or ambiguous. */
  readonly notes: readonly string[];
}

const IGNORED_WORDS = new Set(['MAG', 'ANG', 'ANGLE', 'FREQ', 'THD', 'RMS', 'DEG', 'PHASE']);

type Quantity = 'voltage' | 'current';

function phaseLetter(text: string): 0 | 1 | 2 | undefined {
  const t = text.toUpperCase().replace(/^L/, '');
  if (t === 'A' || t === '1' || t === 'R') return 0;
  if (t === 'B' || t === '2' || t === 'S') return 1;
  if (t === 'C' || t === '3' || t === 'T') return 2;
  return undefined;
}

interface NameClass {
  kind: 'phase' | 'neutral' | 'line' | 'ignore' | 'none';
  quantity?: Quantity;
  phase?: 0 | 1 | 2;
  line?: { pair: LinePair; sign: 1 | -1 };
}

const LINE_PAIRS: Record<string, { pair: LinePair; sign: 1 | -1 }> = {
  '12': { pair: 'u12', sign: 1 },
  '21': { pair: 'u12', sign: -1 },
  '23': { pair: 'u23', sign: 1 },
  '32': { pair: 'u23', sign: -1 },
  '31': { pair: 'u31', sign: 1 },
  '13': { pair: 'u31', sign: -1 },
  AB: { pair: 'u12', sign: 1 },
  BA: { pair: 'u12', sign: -1 },
  BC: { pair: 'u23', sign: 1 },
  CB: { pair: 'u23', sign: -1 },
  CA: { pair: 'u31', sign: 1 },
  AC: { pair: 'u31', sign: -1 },
};

function classifyToken(token: string, unitQuantity: Quantity | undefined): NameClass {
  const upper = token.toUpperCase();
  const bare = /^L([123])$/.exec(upper);
  if (bare !== null && unitQuantity !== undefined) {
    const p = phaseLetter(bare[1] ?? '');
    if (p !== undefined) return { kind: 'phase', quantity: unitQuantity, phase: p };
  }
  const line = /^(?:U|V)(12|21|23|32|31|13|AB|BA|BC|CB|CA|AC)$/.exec(upper);
  if (line !== null) {
    const found = LINE_PAIRS[line[1] ?? ''];
    if (found !== undefined) return { kind: 'line', quantity: 'voltage', line: found };
  }
  if (/^I(?:N\d?)$/.test(upper)) return { kind: 'neutral', quantity: 'current' };
  const phase = /^(U|V|I)(L?[123]|[ABCRST])(N|G)?$/.exec(upper);
  if (phase !== null) {
    const p = phaseLetter(phase[2] ?? '');
    // 'IS'/'IT' etc. are fine; but 'VS'... accepted as R/S/T naming.
    if (p !== undefined) return { kind: 'phase', quantity: phase[1] === 'I' ? 'current' : 'voltage', phase: p };
  }
  return { kind: 'none' };
}

function classifyName(name: string, unitQuantity: Quantity | undefined): NameClass {
  const tokens = name.split(/[\s\-_/.:]+/).filter((t) => t !== '');
  if (tokens.some((t) => IGNORED_WORDS.has(t.toUpperCase()))) return { kind: 'ignore' };
  // The last token that classifies wins ("SRC 1 Va", "F1-IA").
  for (let k = tokens.length - 1; k >= 0; k--) {
    const c = classifyToken(tokens[k] ?? '', unitQuantity);
    if (c.kind !== 'none') return c;
  }
  return { kind: 'none' };
}

function quantityOfUnit(unit: string): Quantity | undefined {
  const u = unit.trim();
  if (/^[kKmM]?V$/.test(u)) return 'voltage';
  if (/^[kKmM]?A$/.test(u)) return 'current';
  return undefined;
}

function slotOf(quantity: Quantity, phase: 0 | 1 | 2): ChannelSlot {
  const voltages: readonly ChannelSlot[] = ['ua', 'ub', 'uc'];
  const currents: readonly ChannelSlot[] = ['ia', 'ib', 'ic'];
  return (quantity === 'voltage' ? voltages : currents)[phase];
}

function resolveOverride(channels: readonly ComtradeAnalogChannel[], slot: ChannelSlot, value: string | number): number {
  if (typeof value === 'number') {
    const index = channels.findIndex((c) => c.number === value);
    if (index === -1) throw new RangeError(`channel mapping ${slot}=${value}: no analog channel number ${value}`);
    return index;
  }
  const index = channels.findIndex((c) => c.name.trim() === value.trim());
  if (index === -1) {
    throw new RangeError(
      `channel mapping ${slot}='${value}': no analog channel of that name (have: ${channels.map((c) => c.name.trim()).join(', ')})`,
    );
  }
  return index;
}

export function mapChannels(channels: readonly ComtradeAnalogChannel[], override: ChannelMappingOverride = {}): ChannelMapping {
  const slots: Record<ChannelSlot, number | undefined> = { ua: undefined, ub: undefined, uc: undefined, ia: undefined, ib: undefined, ic: undefined, in: undefined };
  const lineVoltages: Partial<Record<LinePair, LineVoltageChannel>> = {};
  const notes: string[] = [];
  const label = (k: number): string => `'${channels[k]?.name.trim() ?? ''}' (channel ${channels[k]?.number ?? k + 1})`;
  const claim = (slot: ChannelSlot, k: number, how: string): void => {
    const current = slots[slot];
    if (current === undefined) {
      slots[slot] = k;
      if (how !== 'name') notes.push(`${slot} = ${label(k)} by its ${how}`);
    } else notes.push(`${label(k)} also looks like ${slot}; kept ${label(current)}`);
  };
  const classes = channels.map((c) => classifyName(c.name, quantityOfUnit(c.unit)));
  classes.forEach((c, k) => {
    const unitQuantity = quantityOfUnit(channels[k]?.unit ?? '');
    if (c.kind === 'phase' && c.quantity !== undefined && c.phase !== undefined) {
      if (unitQuantity !== undefined && unitQuantity !== c.quantity) {
        notes.push(`${label(k)} is named like a ${c.quantity} but its unit is '${channels[k]?.unit ?? ''}': ignored`);
        return;
      }
      claim(slotOf(c.quantity, c.phase), k, 'name');
    } else if (c.kind === 'neutral') claim('in', k, 'name');
    else if (c.kind === 'line' && c.line !== undefined) {
      if (lineVoltages[c.line.pair] === undefined) lineVoltages[c.line.pair] = { index: k, sign: c.line.sign };
    }
  });
  classes.forEach((c, k) => {
    if (c.kind !== 'none') return;
    const channel = channels[k];
    if (channel === undefined) return;
    const phase = /^[A-Za-z]{1,2}\d?$/.test(channel.phase) ? phaseLetter(channel.phase) : undefined;
    const quantity = quantityOfUnit(channel.unit);
    if (phase === undefined || quantity === undefined || /^\d+$/.test(channel.phase)) return;
    const slot = slotOf(quantity, phase);
    if (slots[slot] === undefined) claim(slot, k, `ph field '${channel.phase}' and unit '${channel.unit}'`);
  });
  for (const slot of SLOTS) {
    const value = override[slot];
    if (value === undefined) continue;
    if (value === null) {
      slots[slot] = undefined;
      notes.push(`${slot}: none (caller's mapping)`);
      continue;
    }
    slots[slot] = resolveOverride(channels, slot, value);
    notes.push(`${slot} = ${label(slots[slot] ?? 0)} (caller's mapping)`);
  }
  const anyPhaseVoltage = slots.ua !== undefined || slots.ub !== undefined || slots.uc !== undefined;
  const lines = Object.keys(lineVoltages).length;
  const derivedPhaseVoltages = !anyPhaseVoltage && lines >= 2;
  if (derivedPhaseVoltages) {
    notes.push(
      'no phase-to-neutral voltage channels: phase voltages derived from the line-to-line voltages ' +
        'assuming ua + ub + uc = 0 (line voltages and three-wire total power are exact; per-phase values ' +
        'refer to an artificial star point; any zero-sequence voltage is not represented)',
    );
  } else if (!anyPhaseVoltage) notes.push('no voltage channels: voltages are zero');
  for (const slot of ['ua', 'ub', 'uc', 'ia', 'ib', 'ic'] as const) {
    if (slots[slot] === undefined && !(derivedPhaseVoltages && slot.startsWith('u'))) notes.push(`${slot}: no channel, zeros`);
  }
  return { slots, lineVoltages, derivedPhaseVoltages, notes };
}
