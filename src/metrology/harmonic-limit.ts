/**
 * The highest harmonic order a recording can show: order h is measured only when h * f lies below
 * half the sampling rate (the recorder's Nyquist limit). Above it a spectrum holds zeros that mean
 * "not measured", not "absent".
 */
import { HARMONIC_ORDERS } from './measurement.js';

/** Largest order h <= HARMONIC_ORDERS with h * frequencyHz < sampleRateHz / 2 (0 when even the fundamental is not). */
export function highestResolvableOrder(sampleRateHz: number, frequencyHz: number): number {
  if (!(sampleRateHz > 0) || !(frequencyHz > 0)) return 0;
  const limit = Math.ceil(sampleRateHz / 2 / frequencyHz) - 1;
  return Math.max(0, Math.min(HARMONIC_ORDERS, limit));
}
