/**
 * The one angle wrap of the code base: any angle (radians) to the same direction in (-pi, pi].
 *
 * The reduction is `angle % 2pi`, which IEEE 754 computes exactly (the remainder of two doubles is
 * representable), so the result does not lose accuracy as |angle| grows: harmonic phases shifted by
 * h times the reference phase reach about 31 * pi. One correction then moves (-2pi, -pi] and
 * (pi, 2pi) into range; -pi itself becomes +pi, so the two ends of the circle give one value.
 */
const TWO_PI = 2 * Math.PI;

export function wrapAngle(angle: number): number {
  let wrapped = angle % TWO_PI;
  if (wrapped <= -Math.PI) wrapped += TWO_PI;
  else if (wrapped > Math.PI) wrapped -= TWO_PI;
  return wrapped;
}
