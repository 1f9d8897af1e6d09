// Logging under systemd: when stderr is the journal stream (JOURNAL_STREAM
// names stderr's device:inode), each record goes to journald as one native
// protocol datagram (KEY=value lines) with a priority and structured fields,
// so `journalctl -p err -u faultsense` and `journalctl FAULT_ID=...` work.
// The datagram is sent through the native addon (Node cannot send unix
// datagrams); when that is not possible, records fall back to stderr lines
// with a `<N>` syslog-priority prefix, which journald also understands.
import { fstatSync } from 'node:fs';
import Transport from 'winston-transport';
import { loadNative } from './native.js';

export const DEFAULT_JOURNAL_SOCKET = '/run/systemd/journal/socket';
export const SYSLOG_IDENTIFIER = 'faultsense';

/** syslog priorities (journald PRIORITY=) for our levels. */
const PRIORITY: Record<string, number> = { error: 3, warn: 4, info: 6, debug: 7, silly: 7 };

export function priorityOf(level: string): number {
  return PRIORITY[level] ?? 6;
}

/**
 * True when JOURNAL_STREAM is set and names this process's stderr (systemd
 * sets it for services whose output goes to the journal; a child whose stderr
 * was redirected elsewhere inherits the variable but not the stream).
 */
export function stderrIsJournal(env: NodeJS.ProcessEnv = process.env, fd = 2): boolean {
  const m = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!m) return false;
  try {
    const st = fstatSync(fd, { bigint: true });
    return st.dev === BigInt(m[1]!) && st.ino === BigInt(m[2]!);
  } catch {
    return false;
  }
}

/** Field names journald accepts: upper case letters, digits, underscores, not leading "_". */
function fieldName(key: string): string | undefined {
  const name = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9_]/g, '_').replace(/^_+/, '');
  return name && /^[A-Z]/.test(name) ? name.slice(0, 64) : undefined;
}

/** Values go on one line: the simple KEY=value form cannot carry newlines. */
function oneLine(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return s.replace(/\r?\n/g, ' ⏎ ');
}

const MAX_FIELD = 48 * 1024;

/** Meta keys with a journal field of their own (beyond FAULTSENSE_<KEY>). */
const NAMED_FIELDS: Record<string, string> = { faultId: 'FAULT_ID', faultIds: 'FAULT_ID', diagnosisId: 'DIAGNOSIS_ID' };
const SKIP = new Set(['level', 'message', 'component', 'timestamp']);

/** Builds the native-protocol payload for one log record. */
export function journalPayload(info: Record<string, unknown>): string {
  const lines: string[] = [];
  const add = (k: string, v: unknown) => { lines.push(`${k}=${oneLine(v).slice(0, MAX_FIELD)}`); };
  add('MESSAGE', info.message);
  add('PRIORITY', priorityOf(String(info.level)));
  add('SYSLOG_IDENTIFIER', SYSLOG_IDENTIFIER);
  add('SYSLOG_PID', process.pid);
  if (info.component !== undefined) add('FAULTSENSE_COMPONENT', info.component);
  for (const [key, value] of Object.entries(info)) {
    if (SKIP.has(key) || value === undefined || value === null) continue;
    const named = NAMED_FIELDS[key];
    if (named) {
      for (const v of Array.isArray(value) ? value : [value]) add(named, v);
      continue;
    }
    const name = fieldName(key);
    if (name) add(`FAULTSENSE_${name}`, value);
  }
  return lines.join('\n') + '\n';
}

/** `<N>component: message` — what journald reads with SyslogLevelPrefix=yes (the default). */
export function prefixedLine(info: Record<string, unknown>): string {
  const extra = Object.entries(info).filter(([k, v]) => !SKIP.has(k) && v !== undefined);
  const meta = extra.length ? ' ' + JSON.stringify(Object.fromEntries(extra)) : '';
  return `<${priorityOf(String(info.level))}>[${String(info.component ?? SYSLOG_IDENTIFIER)}] ${oneLine(info.message)}${meta}\n`;
}

export interface JournalTransportOptions {
  socket?: string;
  level?: string;
  /** Where prefixed lines go when a datagram cannot be sent (default: stderr). */
  fallback?: NodeJS.WritableStream;
}

/** A winston transport that sends records to journald, or `<N>`-prefixed lines to stderr. */
export class JournalTransport extends Transport {
  readonly socket: string;
  private readonly fallback: NodeJS.WritableStream;
  /** Set once a datagram failed; from then on records go to stderr with a prefix. */
  fallbackReason: string | undefined;

  constructor(opts: JournalTransportOptions = {}) {
    super({ level: opts.level });
    this.socket = opts.socket ?? DEFAULT_JOURNAL_SOCKET;
    this.fallback = opts.fallback ?? process.stderr;
  }

  override log(info: Record<string, unknown>, next: () => void): void {
    if (this.fallbackReason === undefined) {
      try {
        loadNative().notify(this.socket, journalPayload(info));
        next();
        return;
      } catch (err) {
        this.fallbackReason = (err as Error).message;
        this.fallback.write(`<4>[logger] cannot write to the journal socket ${this.socket} (${this.fallbackReason}); ` +
          'logging to stderr with priority prefixes instead\n');
      }
    }
    this.fallback.write(prefixedLine(info));
    next();
  }
}
