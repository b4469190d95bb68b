import { describe, expect, it } from 'vitest';
import { channelQuality, isClipped } from '../../../src/metrology/channel-quality.js';
import { highestResolvableOrder } from '../../../src/metrology/harmonic-limit.js';

describe('highestResolvableOrder', () => {
  it('is the last order below half the sampling rate, at most 31', () => {
    expect(highestResolvableOrder(600, 81.4)).toBe(3); // 244 Hz < 300 Hz <= 326 Hz
    expect(highestResolvableOrder(800, 50)).toBe(7); // 400 Hz is the limit itself: not measured
    expect(highestResolvableOrder(2411, 50)).toBe(24);
    expect(highestResolvableOrder(12_800, 50)).toBe(31);
    expect(highestResolvableOrder(0, 50)).toBe(0);
  });
});

describe('channelQuality', () => {
  it('tells a real channel from DC, noise, silence and clipping', () => {
    expect(channelQuality({ rms: 10, dc: 0.1, fundamental: 9.9 })).toBe('ok');
    expect(channelQuality({ rms: 10, dc: 0.1, fundamental: 7 })).toBe('ok'); // THD ~100 %: distorted, still a load
    expect(channelQuality({ rms: 17.7, dc: 17.36, fundamental: 1 })).toBe('dc only');
    expect(channelQuality({ rms: 1, dc: 0, fundamental: 0.3 })).toBe('noise only');
    expect(channelQuality({ rms: 0, dc: 0, fundamental: 0 })).toBe('noise only');
    expect(channelQuality({ rms: 10, dc: 0, fundamental: 10 }, true)).toBe('clipped');
  });

  it('finds clipping: flat tops at the extreme, not the single peak samples of a sine', () => {
    const sine = Float64Array.from({ length: 4000 }, (_, n) => Math.sin((2 * Math.PI * 50 * n) / 4000));
    expect(isClipped(sine)).toBe(false);
    const clipped = sine.map((x) => Math.max(-0.8, Math.min(0.8, x)));
    expect(isClipped(clipped)).toBe(true);
  });
});
