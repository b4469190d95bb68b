/**
 * The four quadrants of IEC 62053-23/24 from the signs of active and reactive power:
 * QI P>=0 Q>=0 (import, inductive, "lag"), QII P<0 Q>=0, QIII P<0 Q<0, QIV P>=0 Q<0 (import,
 * capacitive, "lead"). Zero counts as positive (a pure resistive load is QI).
 */
export type Quadrant = 1 | 2 | 3 | 4;

export function quadrantOf(activePower: number, reactivePower: number): Quadrant {
  if (activePower >= 0) return reactivePower >= 0 ? 1 : 4;
  return reactivePower >= 0 ? 2 : 3;
}
