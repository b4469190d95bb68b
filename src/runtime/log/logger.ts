/**
 * Leveled logging to a stream (stderr by default): error < warn < info < debug. A message below
 * the threshold costs one comparison; build expensive messages only when `enabled(level)`.
 */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export function isLogLevel(text: string): text is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(text);
}

export interface LogSink {
  write(text: string): unknown;
}

export class StreamLogger implements Logger {
  private readonly threshold: number;

  constructor(
    readonly level: LogLevel = 'info',
    private readonly sink: LogSink = process.stderr,
    private readonly timestamps = true,
  ) {
    this.threshold = LOG_LEVELS.indexOf(level);
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= this.threshold;
  }

  error(message: string): void {
    this.log('error', message);
  }
  warn(message: string): void {
    this.log('warn', message);
  }
  info(message: string): void {
    this.log('info', message);
  }
  debug(message: string): void {
    this.log('debug', message);
  }

  private log(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) > this.threshold) return;
    const prefix = this.timestamps ? `${new Date().toISOString()} ${level.padEnd(5)} ` : `${level.padEnd(5)} `;
    this.sink.write(prefix + message + '\n');
  }
}

/** A logger that drops everything (library default). */
export const silentLogger: Logger = {
  level: 'error',
  enabled: () => false,
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};
