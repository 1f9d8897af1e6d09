/** A part of the daemon with a lifecycle. The daemon starts them in order and stops them in reverse. */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Work done on every turn of the main loop; a tick that never returns stalls the watchdog. */
  tick?(): Promise<void>;
  /** A summary for `health` and STATUS= lines. */
  health?(): Record<string, unknown>;
  /** What needs an operator's attention now (empty when all is well); shown in systemd's STATUS= line. */
  problems?(): string[];
}

/** Raised when a component cannot start; the message says which and why. */
export class StartupError extends Error {
  /** The cause's exit code when it carries one (bad input: 2), otherwise 1. */
  readonly exitCode: number;
  constructor(readonly component: string, override readonly cause: unknown) {
    super(`${component} failed to start: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StartupError';
    const code = (cause as { exitCode?: unknown } | null)?.exitCode;
    this.exitCode = typeof code === 'number' ? code : 1;
  }
}
