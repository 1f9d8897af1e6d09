import { BadInputError } from '../system/errors.js';

/** Bad input on the command line: exit code 2 with a message naming what is wrong. */
export class UsageError extends BadInputError {}

export function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' ? code : 1;
}

/** Prints --json output: exactly one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
