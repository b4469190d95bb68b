/**
 * Config checking stays linear in size (issue 13, defect 9): a 100,000-meter config parsed and
 * checked in under 5 s of CPU (about 1.3 s on the shared 2-core development machine under load;
 * 5.3 s when the yaml package parsed it all), and a config whose every binding is wrong (each
 * problem used to list every meter name: a 25,000-meter one ran out of memory after 3.5 minutes).
 */
import { describe, expect, it } from 'vitest';
import { panelSpecProblems } from '../../../../src/runtime/check-panel-spec.js';
import { ConfigError } from '../../../../src/runtime/config/config-error.js';
import { parsePanelConfig } from '../../../../src/runtime/config/load-panel-config.js';
import { bigPanelConfig } from '../../../support/hostile-inputs.js';

function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('config checking at scale', () => {
  it('parses and checks 100,000 meters in under 5 s of CPU, in time linear in their number', () => {
    const small = bigPanelConfig(20_000);
    const large = bigPanelConfig(100_000);
    let meters = 0;
    const smallMs = cpuMs(() => void panelSpecProblems(parsePanelConfig(small, 'small.yaml')));
    const largeMs = cpuMs(() => {
      const spec = parsePanelConfig(large, 'large.yaml');
      meters = spec.meters.length;
      expect(panelSpecProblems(spec)).toEqual([]);
    });
    expect(meters).toBe(100_000);
    // CPU time, not wall time: other work on a shared machine slows it little.
    expect(largeMs).toBeLessThan(5_000);
    // 5x the meters: about 5x the time when linear (25x when quadratic); loose for a shared machine.
    expect(largeMs / smallMs).toBeLessThan(10);
  }, 120_000);

  it('reports 20,000 wrong bindings with short lines, each naming a few meters', () => {
    let error: unknown;
    const ms = cpuMs(() => {
      try {
        parsePanelConfig(bigPanelConfig(20_000, true), 'wrong.yaml');
      } catch (caught) {
        error = caught;
      }
    });
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(20_000);
    expect(problems[0]?.message).toBe('no meter named "x0" (meters: m0, m1, m2, m3, m4 and 19995 more)');
    expect(Math.max(...problems.map((p) => p.message.length))).toBeLessThan(100);
    expect(ms).toBeLessThan(30_000);
  }, 120_000);
});
