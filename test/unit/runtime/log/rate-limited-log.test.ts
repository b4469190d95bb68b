import { describe, expect, it } from 'vitest';
import { RateLimitedLog } from '../../../../src/runtime/log/rate-limited-log.js';

describe('RateLimitedLog', () => {
  it('writes the first line of each interval and sums up the rest in one line', () => {
    const now = { ms: 0 };
    const lines: string[] = [];
    const log = new RateLimitedLog((line) => lines.push(line), 'more refused', 10_000, () => now.ms);
    for (let i = 0; i < 4997; i += 1) {
      now.ms = i;
      log.log(`refused ${i}`);
    }
    expect(lines).toEqual(['refused 0']);
    now.ms = 10_000;
    log.log('refused late');
    expect(lines).toEqual(['refused 0', '4996 more refused in the last 10 s', 'refused late']);
    log.flush();
    expect(lines).toHaveLength(3);
  });
});
