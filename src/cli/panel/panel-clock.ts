/** The panel's meter clock: real time at speed 1, simulated time `speed` times faster otherwise. */
import type { PanelClock } from './panel-meter.js';

export function panelClock(speed: number, startTimeMs?: number): PanelClock {
  if (speed === 1 && startTimeMs === undefined) return { nowMs: () => Date.now() };
  const startMs = startTimeMs ?? Date.now();
  const realStart = performance.now();
  return { nowMs: () => Math.floor(startMs + (performance.now() - realStart) * speed) };
}
