/**
 * Whether a channel's summary numbers mean anything: a channel that carries only noise (no
 * fundamental to speak of), only a DC offset, or was clipped by the recorder gives power factors
 * that swing from window to window; a summary PF of 0.99 for it would mislead.
 */

export type ChannelQuality = 'ok' | 'noise only' | 'dc only' | 'clipped';

export interface ChannelLevels {
  /** True RMS (V or A). */
  readonly rms: number;
  /** The DC component (magnitude, same unit). */
  readonly dc: number;
  /** RMS of the fundamental (same unit). */
  readonly fundamental: number;
}

/** DC carries at least this share of the channel's power: "dc only". */
const DC_SHARE = 0.9;
/** The fundamental carries less than this share of the AC power (THD above 200 %): "noise only". */
const FUNDAMENTAL_SHARE = 0.2;
/** Samples sitting at the channel's extreme value, in runs, beyond this share of all samples: "clipped". */
const CLIPPED_SHARE = 0.002;

export function channelQuality(levels: ChannelLevels, clipped = false): ChannelQuality {
  if (clipped) return 'clipped';
  const power = levels.rms ** 2;
  if (!(power > 0)) return 'noise only';
  if (levels.dc ** 2 >= DC_SHARE * power) return 'dc only';
  const ac = Math.max(0, power - levels.dc ** 2);
  if (levels.fundamental ** 2 < FUNDAMENTAL_SHARE * ac) return 'noise only';
  return 'ok';
}

/**
 * Whether a recorded channel was clipped: its samples sit at the largest (or smallest) value in
 * runs of two or more often enough. A sampled sine reaches the same extreme twice in a row only by
 * chance; a saturated recorder does it on every peak.
 */
export function isClipped(samples: Float64Array): boolean {
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (const x of samples) {
    if (!Number.isFinite(x)) continue;
    if (x > max) max = x;
    if (x < min) min = x;
  }
  if (!(max > min)) return false;
  const tolerance = (max - min) * 1e-9;
  let atExtreme = 0;
  for (let n = 1; n < samples.length; n += 1) {
    const a = samples[n - 1] ?? Number.NaN;
    const b = samples[n] ?? Number.NaN;
    if ((max - a <= tolerance && max - b <= tolerance) || (a - min <= tolerance && b - min <= tolerance)) atExtreme += 1;
  }
  return atExtreme > CLIPPED_SHARE * samples.length;
}
