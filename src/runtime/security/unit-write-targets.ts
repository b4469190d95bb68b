/**
 * What the role table needs to know about a meter: its profile and, when its device is served from
 * a register map, which addresses are settings and which are commands. One MapWriteTargets per
 * map, shared by every meter of that profile.
 */
import { RegisterMapDevice } from '../../registers/register-map-device.js';
import type { RegisterMap } from '../../registers/register-map.js';
import { writeTargets } from '../../registers/write-targets.js';
import type { PanelMeter } from '../panel-meter.js';
import type { UnitWriteTargets } from './role-authorizer.js';

export function unitWriteTargets(meters: ReadonlyMap<string, PanelMeter>): (meter: string) => UnitWriteTargets {
  const byMap = new Map<RegisterMap, UnitWriteTargets>();
  const none = new Map<string, UnitWriteTargets>();
  return (name) => {
    const meter = meters.get(name);
    const profile = meter?.spec.profile ?? '';
    const device = meter?.device;
    if (!(device instanceof RegisterMapDevice)) {
      let targets = none.get(profile);
      if (targets === undefined) none.set(profile, (targets = { profile, targets: undefined }));
      return targets;
    }
    let targets = byMap.get(device.map);
    if (targets === undefined) byMap.set(device.map, (targets = { profile, targets: writeTargets(device.map) }));
    return targets;
  };
}
