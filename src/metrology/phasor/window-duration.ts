/**
 * How long a window of N whole cycles lasts when the frequency drifts: the duration T that solves
 * cycles(t0 + T) - cycles(t0) = N on the scenario's exact phase integral (Newton's method). The
 * window's frequency is then N / T, "whole cycles / their duration", as the sample path measures it.
 */
import type { ScenarioTimeline } from '../../waveform/synthetic/scenario-timeline.js';

export function windowDuration(timeline: ScenarioTimeline, t0: number, cycles: number): number {
  const c0 = timeline.cyclesAt(t0);
  let duration = cycles / timeline.frequencyAt(t0);
  for (let iteration = 0; iteration < 20; iteration++) {
    const error = timeline.cyclesAt(t0 + duration) - c0 - cycles;
    const step = error / timeline.frequencyAt(t0 + duration);
    duration -= step;
    if (Math.abs(step) < 1e-15 * duration) break;
  }
  return duration;
}
