/**
 * The authorization seam: whether one request may be served. src/modbus asks, it never decides:
 * the role table that answers lives above (src/runtime/security, using the register maps), so this
 * layer stays free of meters and registers. A refused request is answered with exception 01
 * (illegal function), as the Modbus/TCP Security specification's reference behaviour does.
 */
export interface RequestAuthorizer {
  /**
   * True when the request PDU pdu[start .. start+length) addressed to `unitId` may be served.
   * Called once per request on the hot path: no allocation expected.
   */
  allows(unitId: number, pdu: Uint8Array, start: number, length: number): boolean;
}

/** Allows everything (plain Modbus/TCP has no authorization). */
export const allowEverything: RequestAuthorizer = Object.freeze({ allows: () => true });

/** Refuses everything (a TLS client without a role and no default role). */
export const refuseEverything: RequestAuthorizer = Object.freeze({ allows: () => false });
