/**
 * A lazy meter's physical target that tells the fleet ticker when a scenario begins or ends: the
 * change of the source moves the meter's wake-up earlier than the due time the ticker cached, and
 * the meter must wake at the first window after it to record the event then.
 */
import type { PhysicalTarget } from '../../control/physical-target.js';

export function rearmingPhysicalTarget(target: PhysicalTarget, dueChanged: () => void): PhysicalTarget {
  return {
    begin(scenario, startMs, endMs) {
      const end = target.begin(scenario, startMs, endMs);
      dueChanged();
      return (atMs) => {
        end(atMs);
        dueChanged();
      };
    },
  };
}
