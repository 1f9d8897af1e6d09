// Shared by the capture tests (not a test file itself).
import { readFileSync, readdirSync } from 'node:fs';
import { cameraSchema, microphoneSchema, type CameraConfig, type MicrophoneConfig } from '../../src/config/sections/capture.js';
import { configureLogging } from '../../src/system/logger.js';

// Keep test output readable: capture logs warnings on purpose in these tests.
configureLogging({ level: process.env.FAULTSENSE_LOG_LEVEL === 'debug' ? 'debug' : 'error', json: true });

export const FAST_SUPERVISOR = {
  backoffInitialMs: 100, backoffMaxMs: 1000, stallTimeoutSec: 5, restartBudgetPerHour: 30, failedRetrySec: 300, stopGraceMs: 1500,
};

type Supervisor = Partial<CameraConfig['supervisor']>;

export function camera(input: Partial<Omit<CameraConfig, 'supervisor'>> & { source: string; supervisor?: Supervisor }): CameraConfig {
  return cameraSchema.parse({ ...input, supervisor: { ...FAST_SUPERVISOR, ...(input.supervisor ?? {}) } });
}

export function microphone(input: Partial<Omit<MicrophoneConfig, 'supervisor'>> & { source: string; supervisor?: Supervisor }): MicrophoneConfig {
  return microphoneSchema.parse({ ...input, supervisor: { ...FAST_SUPERVISOR, ...(input.supervisor ?? {}) } });
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls until `cond` is true; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Live (non-zombie) processes whose process group is `pgid`. */
export function groupMembers(pgid: number): Array<{ pid: number; comm: string }> {
  const out: Array<{ pid: number; comm: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] = state, fields[2] = pgrp
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') {
      out.push({ pid: Number(name), comm: stat.slice(stat.indexOf('(') + 1, close) });
    }
  }
  return out;
}
