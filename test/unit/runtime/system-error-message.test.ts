import { describe, expect, it } from 'vitest';
import { systemErrorMessage } from '../../../src/runtime/system-error-message.js';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('systemErrorMessage', () => {
  it('says what the user did wrong in plain words', () => {
    expect(systemErrorMessage('cannot listen on 0.0.0.0:502', withCode('EACCES'))).toBe(
      'cannot listen on 0.0.0.0:502: permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
    );
    expect(systemErrorMessage('cannot open serial port /dev/ttyUSB0', withCode('EACCES'))).toBe('cannot open serial port /dev/ttyUSB0: permission denied');
    expect(systemErrorMessage('cannot listen on 127.0.0.1:1502', withCode('EADDRINUSE'))).toMatch(/address already in use/);
    // serialport's errors carry no code, only a message.
    expect(systemErrorMessage('cannot open serial port /dev/x', new Error('Error: No such file or directory, cannot open /dev/x'))).toBe(
      'cannot open serial port /dev/x: no such file or device',
    );
    expect(systemErrorMessage('cannot open serial port /dev/x', new Error('Error: Permission denied, cannot open /dev/x'))).toBe(
      'cannot open serial port /dev/x: permission denied',
    );
  });
});
