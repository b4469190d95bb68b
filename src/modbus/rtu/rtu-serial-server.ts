import { SerialPort } from 'serialport';
import type { CommFaultHook } from '../faults/comm-fault-policy.js';
import type { EndpointCounters } from '../endpoint-counters.js';
import type { RtuBus } from './rtu-bus.js';
import { RtuLink } from './rtu-link.js';
import type { RtuFramerCounters } from './rtu-request-framer.js';
import { serialLineSettings, type SerialLineSettings, type SerialLineSettingsInput } from './serial-line-settings.js';

export interface RtuSerialServerOptions extends SerialLineSettingsInput {
  /**
   * Ask the driver for low-latency mode (Linux ASYNC_LOW_LATENCY; shortens USB adapters' latency
   * timer). Best effort: on a pty or an adapter without it the ioctl fails and is ignored.
   */
  lowLatency?: boolean | undefined;
  /** Called for port errors after open (e.g. the adapter was unplugged) and ignored ioctl failures. */
  onError?: ((error: Error) => void) | undefined;
  /** Communication faults bound to this endpoint: policy.forEndpoint(name, rtuFraming). */
  faults?: CommFaultHook | undefined;
  /** Counts requests, exceptions and bytes (for /metrics). */
  counters?: EndpointCounters | undefined;
}

/**
 * Modbus RTU on a serial port (serialport 13): one port, one RTU bus of one or more unit ids.
 * The port is opened with the given line settings; modem-control lines are not touched (RS485
 * adapters switch direction themselves; on a pty those ioctls fail with ENOTTY anyway).
 * Does not call SerialPort.list(), which spawns udevadm.
 */
export class RtuSerialServer {
  private constructor(
    private readonly port: SerialPort,
    private readonly link: RtuLink,
    readonly settings: SerialLineSettings,
  ) {}

  static async open(bus: RtuBus, options: RtuSerialServerOptions): Promise<RtuSerialServer> {
    const settings = serialLineSettings(options);
    const port = new SerialPort({
      path: settings.path,
      baudRate: settings.baudRate,
      dataBits: 8,
      parity: settings.parity,
      stopBits: settings.stopBits,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      port.open((error) => {
        if (error) reject(new Error(`cannot open serial port ${settings.path}: ${error.message}`));
        else resolve();
      });
    });
    const onError = options.onError;
    const link = new RtuLink(bus, {
      interFrameSilenceMs: settings.interFrameSilenceMs,
      responseDelayMs: settings.responseDelayMs,
      faults: options.faults,
      counters: options.counters,
      send: (adu) => {
        port.write(adu);
      },
    });
    port.on('data', (chunk: Buffer) => link.receive(chunk));
    port.on('error', (error: Error) => onError?.(error));
    port.on('close', () => link.close());
    if (options.lowLatency === true) {
      await new Promise<void>((resolve) => {
        port.set({ lowLatency: true } as Parameters<SerialPort['set']>[0], (error) => {
          if (error) onError?.(new Error(`low-latency mode not available on ${settings.path} (ignored): ${error.message}`));
          resolve();
        });
      });
    }
    return new RtuSerialServer(port, link, settings);
  }

  get path(): string {
    return this.settings.path;
  }

  get framerCounters(): Readonly<RtuFramerCounters> {
    return this.link.framerCounters;
  }

  get isOpen(): boolean {
    return this.port.isOpen;
  }

  /** Lets pending writes drain, then closes the port. */
  async close(): Promise<void> {
    this.link.close();
    if (!this.port.isOpen) return;
    await new Promise<void>((resolve) => {
      this.port.drain(() => {
        this.port.close(() => resolve());
      });
    });
  }
}
