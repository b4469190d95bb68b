/**
 * The expectation of an independent definition table taken from the meter's SI snapshot: each
 * row's quantity, read from the snapshot the device was refreshed from.
 */
import type { Expectation } from '../../src/registers/definitions/definition-check.js';
import { QUANTITIES } from '../../src/registers/quantity-catalogue.js';
import type { ReadContext } from '../../src/registers/read-context.js';

export function snapshotExpectation(context: ReadContext): Expectation {
  return (register) => {
    const quantity = register.quantity === undefined ? undefined : QUANTITIES.get(register.quantity);
    if (quantity === undefined) return { problem: `unknown quantity "${register.quantity ?? ''}"` };
    return { value: quantity.get(context) };
  };
}
