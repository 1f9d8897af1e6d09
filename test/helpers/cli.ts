import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENTRY = join(REPO_ROOT, 'test', 'helpers', 'cli-entry.ts');

/**
 * Daemons under test keep the local API off unless a test asks for it (--api-listen wins over the
 * environment), so parallel tests never race for its default port 8080.
 */
const TEST_ENV = { FAULTSENSE_LOG_FORMAT: 'json', FAULTSENSE_API__LISTEN: 'off' };

function argvFor(args: string[]): string[] {
  return ['--import', 'tsx', ENTRY, ...args];
}

/** Runs `faultsense ARGS` to completion. */
export function runCliSync(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, argvFor(args), {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...TEST_ENV, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
}

/** Starts `faultsense ARGS` as a child process. */
export function spawnCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, argvFor(args), {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...TEST_ENV, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the exit code (or signal name) of a child. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}
