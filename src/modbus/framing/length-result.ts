/**
 * What a framing's length rule answers besides a length. A positive number is the exact ADU
 * length in bytes; these non-positive values say why there is none (yet):
 * - NeedMoreBytes: the bytes that fix the length have not all arrived;
 * - LengthEndsAtCrc: a variable-length frame (FC08 sub-function 00 echoes data of any length); it
 *   ends where the CRC first checks at or after the framing's variable-frame minimum;
 * - LengthUnknown: a function code whose layout is not in the table of function shapes; on a
 *   serial line the frame ends at the t3.5 silence, on a stream where the CRC first checks;
 * - LengthInvalid: the header is broken (MBAP: protocol id not 0, length field out of bounds).
 */
export const NeedMoreBytes = 0;
export const LengthEndsAtCrc = -1;
export const LengthUnknown = -2;
export const LengthInvalid = -3;
