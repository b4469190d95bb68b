/**
 * What a meter offers to physical scenarios: the seam between the control layer and the waveform
 * and meter layers. An adapter (src/control/source-physical-target.ts) implements it over a
 * synthetic source's run-time changes and the meter's tamper/cover injection.
 */
import type { PhysicalScenario } from './physical-scenario.js';

export interface PhysicalTarget {
  /**
   * Begin `scenario` at `startMs` (meter clock) and end it by itself at `endMs` (undefined: until
   * ended). Returns a function that ends it at `atMs` (meter clock) before its planned end
   * (idempotent). Throws RangeError when this meter cannot play the scenario.
   */
  begin(scenario: PhysicalScenario, startMs: number, endMs: number | undefined): (atMs: number) => void;
}
