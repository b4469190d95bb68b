import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/control/timeline/duration.js';
import { parseTimeline, TimelineError } from '../../../src/control/timeline/parse-timeline.js';
import { TimelinePlayer } from '../../../src/control/timeline/timeline-player.js';

const example = `# a storm
- at: 60s
  drop: {responses: 5}
- at: 30s
  sag: {phase: 2, depth: 0.5, duration: 200ms}
- at: 1m30s
  clear: all
`;

function errorOf(text: string, file = 't.yaml'): string {
  try {
    parseTimeline(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(TimelineError);
    return (error as Error).message;
  }
  throw new Error('expected a TimelineError');
}

describe('timeline format', () => {
  it('parses durations', () => {
    expect(parseDuration('200ms')).toBe(200);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration(30)).toBe(30_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h 15m')).toBe(4_500_000);
    expect(parseDuration('5min')).toBe(300_000);
    expect(() => parseDuration('')).toThrow(/not a duration/);
    expect(() => parseDuration('1m30')).toThrow(/1m30/);
    expect(() => parseDuration('30 parsecs')).toThrow(/30 parsecs/);
  });

  it('parses steps into scenarios and faults, sorted by time', () => {
    const timeline = parseTimeline(example, 'storm.yaml');
    expect(timeline.steps.map((s) => s.atMs)).toEqual([30_000, 60_000, 90_000]);
    expect(timeline.steps[0]).toEqual({
      atMs: 30_000,
      meter: undefined,
      line: 4,
      action: { type: 'scenario', scenario: { kind: 'sag', phase: 2, depth: 0.5, durationMs: 200 } },
    });
    expect(timeline.steps[1].action).toEqual({ type: 'fault', spec: { kind: 'no-response', count: 5 } });
    expect(timeline.steps[1].line).toBe(2);
    expect(timeline.steps[2].action).toEqual({ type: 'clear', what: 'all' });
  });

  it('takes a default meter and comm-fault scopes in timeline words', () => {
    const timeline = parseTimeline(
      `meter: m2
steps:
  - at: 1s
    delay: {ms: 300ms, jitter: 50ms, requests: 10, unit: 3, functions: [3, 4]}
  - at: 2s
    meter: m1
    exception: {code: 6, duration: 10s, rate: 0.5}
  - at: 3s
    cover-open: true
`,
    );
    expect(timeline.steps.map((s) => s.meter)).toEqual(['m2', 'm1', 'm2']);
    expect(timeline.steps[0].action).toEqual({
      type: 'fault',
      spec: { kind: 'delay', delayMs: 300, jitterMs: 50, count: 10, scope: { unitId: 3, functionCodes: [3, 4] } },
    });
    expect(timeline.steps[1].action).toEqual({ type: 'fault', spec: { kind: 'exception', code: 6, durationMs: 10_000, rate: 0.5 } });
    expect(timeline.steps[2].action).toEqual({ type: 'scenario', scenario: { kind: 'cover-open' } });
  });

  it('points at the line and field of a bad value', () => {
    const message = errorOf(`- at: 1s
  drop: {responses: 5}
- at: 2s
  sag: {phase: 2, depth: 1.5, duration: 200ms}
`);
    expect(message).toMatch(/^t\.yaml:4: \[1\]\.sag\.depth: /);
  });

  it('points at a bad duration, a missing action, two actions and an unknown key', () => {
    expect(errorOf('- at: 3 fortnights\n  drop: {responses: 1}\n')).toMatch(/^t\.yaml:1: \[0\]\.at: "3 fortnights" is not a duration/);
    expect(errorOf('- at: 1s\n  drop: {responses: 1}\n- at: 2s\n')).toMatch(/^t\.yaml:3: \[1\]: a step needs one action/);
    expect(errorOf('- at: 1s\n  drop: {responses: 1}\n  delay: {ms: 5}\n')).toMatch(/^t\.yaml:1: \[0\]: a step has exactly one action, found drop, delay/);
    expect(errorOf('- at: 1s\n  melt: {now: true}\n')).toMatch(/^t\.yaml:2: \[0\]\.melt: unknown field "melt"/);
    expect(errorOf('- at: 1s\n  sag: {phase: 2, deepness: 0.5, duration: 1s}\n')).toContain('t.yaml:2: [0].sag.deepness: unknown field "deepness"');
    expect(errorOf('- at: 1s\n  sag: {phase: 2, depth: 0.5, duration: soon}\n')).toMatch(/^t\.yaml:2: \[0\]\.sag\.duration: "soon" is not a duration/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('- at: 1s\n  drop: {responses: 5\n- at: 2s\n')).toMatch(/^t\.yaml:\d+: YAML: /);
    expect(errorOf('')).toMatch(/empty/);
  });
});

describe('TimelinePlayer', () => {
  it('applies each step once, at its scheduled time, however it is advanced', () => {
    const { steps } = parseTimeline(example);
    const runs = [[0, 29_999, 30_000, 100_000], [100_000]].map((advances) => {
      const applied: string[] = [];
      const player = new TimelinePlayer(steps, 1_000_000, (step, scheduledMs) => {
        applied.push(`${step.action.type}@${scheduledMs}`);
        return 'ok';
      });
      for (const t of advances) player.advanceTo(1_000_000 + t);
      expect(player.done).toBe(true);
      return applied;
    });
    expect(runs[0]).toEqual(['scenario@1030000', 'fault@1060000', 'clear@1090000']);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('records a failing step and goes on; stop() applies nothing more', () => {
    const { steps } = parseTimeline(example);
    const player = new TimelinePlayer(steps, 0, (step) => {
      if (step.action.type === 'scenario') throw new Error('no such meter');
      return 'done';
    });
    player.advanceTo(60_000);
    expect(player.history().map((h) => [h.ok, h.result])).toEqual([
      [false, 'no such meter'],
      [true, 'done'],
    ]);
    player.stop();
    expect(player.advanceTo(1e9)).toBe(0);
    expect(player.nextAtMs).toBeUndefined();
  });
});

describe('the example timeline in docs/examples', () => {
  it('parses: every step, in time order', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../../docs/examples/fault-timeline.yaml', import.meta.url), 'utf8');
    const timeline = parseTimeline(text, 'fault-timeline.yaml');
    expect(timeline.meter).toBe('m1');
    expect(timeline.steps.map((s) => [s.atMs / 1000, s.action.type === 'scenario' ? s.action.scenario.kind : s.action.type === 'fault' ? s.action.spec.kind : 'clear'])).toEqual([
      [30, 'sag'],
      [60, 'no-response'],
      [90, 'delay'],
      [150, 'exception'],
      [180, 'reverse-power'],
      [240, 'load'],
      [300, 'cover-open'],
      [360, 'disconnect'],
      [420, 'clear'],
    ]);
  });
});
