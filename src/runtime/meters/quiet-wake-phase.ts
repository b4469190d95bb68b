/**
 * Each lazy meter of a fleet wakes for its quiet boundaries (demand, profile, tariff: they log
 * nothing) at its own phase of the shortest recording period (Meter.setQuietWakePhase), so a
 * fleet of 100,000 does not catch up all at once on every 5-minute boundary. The phase is a hash
 * of the meter's name (FNV-1a, then murmur3's finalizer: FNV alone clumps names that differ in
 * their last digits, 5 standard deviations off even), stable whichever process or shard serves it.
 */
export function quietWakePhase(meterName: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < meterName.length; i += 1) {
    hash ^= meterName.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}
