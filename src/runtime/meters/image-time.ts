/**
 * The meter time a lazy meter's register image was last encoded at. A number field of a class,
 * written in place: the closure variable it replaces boxed a new number on every read of a cold
 * meter, and that number, held by the long-lived closure, outlived the young generation (16 bytes
 * promoted per read under polls spread over 100,000 meters).
 */
export class ImageTime {
  /** Meter ms of the last encoding; meaningful only when `encoded`. */
  ms = Number.NaN;
  encoded = false;

  constructor(timeMs: number | undefined) {
    this.set(timeMs);
  }

  set(timeMs: number | undefined): void {
    this.encoded = timeMs !== undefined;
    this.ms = timeMs ?? 0;
  }
}
