// Logging: human-readable lines on a terminal, JSON lines otherwise (journald
// stores one record per line). Every component logs through a child logger
// named after its place in the data flow ("capture.camera", "mqtt", ...).
import winston from 'winston';
import { JournalTransport, stderrIsJournal } from './journal.js';
import { isSecretKey, redactDeep, redactText } from './secrets.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silly';
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'silly'];

export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
  child(component: string): Logger;
}

/** Replaces values whose key looks like a secret, and secrets inside strings; never log credentials. */
export function redact(value: unknown): unknown {
  return redactDeep(value);
}

const redactFormat = winston.format((info) => {
  const rec = info as Record<string, unknown>;
  if (typeof rec.message === 'string') rec.message = redactText(rec.message);
  for (const key of Object.keys(rec)) {
    if (key === 'level' || key === 'message' || key === 'component' || key === 'timestamp') continue;
    rec[key] = isSecretKey(key) && rec[key] !== undefined && rec[key] !== null ? '***' : redactDeep(rec[key]);
  }
  return info;
});

let root: winston.Logger | undefined;

export interface LoggerOptions {
  level?: LogLevel;
  /** Force JSON lines (true) or the human format (false); default: JSON unless stderr is a TTY. */
  json?: boolean;
  /** Send records to journald (default: when JOURNAL_STREAM names stderr and no format is forced). */
  journal?: boolean;
}

function humanLine(info: winston.Logform.TransformableInfo): string {
  const { level, message, component, timestamp, ...rest } = info as Record<string, unknown>;
  const extra = Object.keys(rest).filter((k) => typeof k === 'string');
  const meta = extra.length ? ' ' + JSON.stringify(Object.fromEntries(extra.map((k) => [k, rest[k]]))) : '';
  return `${String(timestamp)} ${String(level)} [${String(component ?? 'faultsense')}] ${String(message)}${meta}`;
}

/** (Re)configures the process-wide logger. All logs go to stderr so stdout stays for --json output. */
export function configureLogging(opts: LoggerOptions = {}): void {
  const json = opts.json ?? (process.env.FAULTSENSE_LOG_FORMAT === 'json' ? true
    : process.env.FAULTSENSE_LOG_FORMAT === 'human' ? false : !process.stderr.isTTY);
  const level = opts.level ?? (process.env.FAULTSENSE_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const journal = opts.journal ?? (opts.json === undefined && !process.env.FAULTSENSE_LOG_FORMAT && stderrIsJournal());
  const format = journal
    ? redactFormat()
    : json
    ? winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json())
    : winston.format.combine(
        redactFormat(),
        winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
        winston.format.colorize(),
        winston.format.printf(humanLine),
      );
  const transport = journal
    ? new JournalTransport({ socket: process.env.FAULTSENSE_JOURNAL_SOCKET || undefined })
    : new winston.transports.Stream({ stream: process.stderr });
  if (!root) {
    root = winston.createLogger({ level, format, transports: [transport] });
  } else {
    root.clear();
    root.add(transport);
    root.format = format;
    root.level = level;
  }
}

export function setLogLevel(level: LogLevel): void {
  if (!root) configureLogging({ level });
  else root.level = level;
}

export function getLogLevel(): LogLevel {
  return (root?.level as LogLevel | undefined) ?? 'info';
}

class WinstonLogger implements Logger {
  constructor(private readonly component: string) {}
  private log(level: LogLevel, message: string, meta?: Record<string, unknown>): void {
    if (!root) configureLogging();
    root!.log({ level, message, component: this.component, ...(meta ?? {}) });
  }
  error(m: string, meta?: Record<string, unknown>): void { this.log('error', m, meta); }
  warn(m: string, meta?: Record<string, unknown>): void { this.log('warn', m, meta); }
  info(m: string, meta?: Record<string, unknown>): void { this.log('info', m, meta); }
  debug(m: string, meta?: Record<string, unknown>): void { this.log('debug', m, meta); }
  child(component: string): Logger { return new WinstonLogger(`${this.component}.${component}`); }
}

export function getLogger(component: string): Logger {
  return new WinstonLogger(component);
}
