// A Logger that keeps what it is told, for asserting on warnings.
import type { Logger } from '../../src/system/logger.js';

export class CapturingLogger implements Logger {
  constructor(readonly lines: Array<{ level: string; message: string }> = [], private readonly prefix = 'test') {}
  private add(level: string, message: string): void { this.lines.push({ level, message: `[${this.prefix}] ${message}` }); }
  error(m: string): void { this.add('error', m); }
  warn(m: string): void { this.add('warn', m); }
  info(m: string): void { this.add('info', m); }
  debug(m: string): void { this.add('debug', m); }
  child(component: string): Logger { return new CapturingLogger(this.lines, `${this.prefix}.${component}`); }
  has(level: string, re: RegExp): boolean { return this.lines.some((l) => l.level === level && re.test(l.message)); }
}
