// What loading a registered model gives back (ModelRegistry.load): the session, its
// self-test, the precision chosen and why, and any fallback to fp32.
import type { EngineSession } from './engine.js';
import type { Manifest, Precision } from './manifest.js';
import type { SelfTestResult } from './selftest.js';

export interface VerifiedLoad {
  manifest: Manifest;
  session: EngineSession;
  selfTest: SelfTestResult;
  /** Why the precision in session.chosen was chosen. */
  precisionReason?: string;
  /** Set when the chosen variant failed to load or self-test and fp32 was loaded instead. */
  fallback?: { from: Precision; reason: string };
  /** Activation of a variant gated as a pair: the partner variant made active with it. */
  partnerActivated?: { ref: string; previous?: string };
}
