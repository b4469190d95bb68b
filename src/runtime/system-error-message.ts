/** Turns the system errors a user can cause (port in use, missing device ...) into one readable line. */
import { RunFailure } from './runtime-error.js';
import { errorMessage } from '../common/error-message.js';

const reasons: Record<string, string> = {
  EADDRINUSE: 'address already in use (another program, or another submeter, is listening there)',
  EADDRNOTAVAIL: 'address not available on this machine',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or device',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EBUSY: 'device or resource busy',
  ECONNREFUSED: 'connection refused (is the meter being served there?)',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'host not found',
};

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** "cannot listen on 127.0.0.1:1502: address already in use ..." */
export function systemErrorMessage(what: string, error: unknown): string {
  const code = errorCode(error);
  let reason = code === undefined ? undefined : reasons[code];
  if (reason === undefined) {
    const message = errorMessage(error);
    // serialport reports "Error: No such file or directory, cannot open /dev/x" without a code.
    if (/no such file or directory/i.test(message)) reason = reasons.ENOENT;
    else if (/permission denied/i.test(message)) reason = reasons.EACCES;
    else reason = message;
  }
  if (code === 'EACCES' && /listen/.test(what)) reason += ' (ports below 1024 need root or CAP_NET_BIND_SERVICE)';
  return `${what}: ${reason}`;
}

/** The RunFailure for a failed system call: one readable line, the original error as its cause. */
export function systemError(what: string, error: unknown): RunFailure {
  return new RunFailure(systemErrorMessage(what, error), { cause: error });
}
