import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AcousticEventDetector } from '../../src/audio/events.js';
import { LogMel } from '../../src/audio/mel.js';
import type { AcousticEvent } from '../../src/types.js';
import { faultSignal, machine, scaleTo, withFault } from '../fixtures/audio/synth.js';

const mel = new LogMel();
const SR = 16000;

/** A detector that has heard `seconds` of normal running of machine `seed`. */
function warmed(seed: number, seconds = 5): { det: AcousticEventDetector; long: Float32Array } {
  const det = new AcousticEventDetector(mel.params);
  const long = machine({ seconds: seconds + 5, seed, level: 0.05 });
  for (let i = 0; i < seconds; i++) {
    const w = long.slice(i * SR, (i + 1) * SR);
    assert.deepEqual(det.detect(w, mel.compute(w), true), [], `normal window ${i} should have no events`);
  }
  return { det, long };
}

const windowAt = (x: Float32Array, i: number): Float32Array => x.slice(i * SR, (i + 1) * SR);
const ofType = (events: AcousticEvent[], type: AcousticEvent['type']): AcousticEvent[] => events.filter((e) => e.type === type);

describe('acoustic events', () => {
  it('reports no events for steady normal running', () => {
    const { det, long } = warmed(11);
    for (let i = 5; i < 8; i++) {
      const w = windowAt(long, i);
      assert.deepEqual(det.detect(w, mel.compute(w), false), []);
    }
  });

  it('finds inserted knocks as impulses at the right times', () => {
    const { det, long } = warmed(12);
    const w = windowAt(long, 6);
    const times = [0.2, 0.55, 0.8];
    const knock = new Float32Array(SR);
    const click = scaleTo(faultSignal('knock', 400, { seed: 5 }).map((v, j) => v * Math.exp(-j / 60)), 1);
    for (const t of times) knock.set(click, Math.round(t * SR));
    scaleTo(knock, 0.05 * 0.3);
    const mixed = Float32Array.from(w, (v, i) => v + knock[i]!);
    const impulses = ofType(det.detect(mixed, mel.compute(mixed), false), 'impulse');
    for (const t of times) {
      assert.ok(impulses.some((e) => Math.abs(e.t - t) <= 0.03), `no impulse near ${t}s: ${JSON.stringify(impulses)}`);
    }
    for (const e of impulses) assert.ok(e.strength >= 6 && e.band[0] < e.band[1]);
  });

  it('finds bearing impacts at equal loudness', () => {
    const { det, long } = warmed(13);
    const w = withFault(windowAt(long, 6), 'bearing', { seed: 2, relDb: -12 });
    assert.ok(ofType(det.detect(w, mel.compute(w), false), 'impulse').length >= 3);
  });

  it('finds a new tonal whine at its frequency', () => {
    const { det, long } = warmed(14);
    const hz = 2750;
    const tone = Float32Array.from({ length: SR }, (_, i) => 0.012 * Math.sin((2 * Math.PI * hz * i) / SR));
    const w = Float32Array.from(windowAt(long, 6), (v, i) => v + tone[i]!);
    const tonal = ofType(det.detect(w, mel.compute(w), false), 'tonal');
    assert.equal(tonal.length, 1, JSON.stringify(tonal));
    assert.ok(tonal[0]!.band[0] <= hz + 4 && tonal[0]!.band[1] >= hz - 4, JSON.stringify(tonal[0]));
    assert.ok(tonal[0]!.strength >= 10);
  });

  it('reports the motor speeding up as tonal drift of its harmonics', () => {
    const { det, long } = warmed(15);
    // Resample the next second 2% faster: every harmonic moves up by 2%.
    const start = 6 * SR;
    const fast = Float32Array.from({ length: SR }, (_, i) => {
      const p = start + i * 1.02, j = Math.floor(p);
      return long[j]! * (1 - (p - j)) + long[j + 1]! * (p - j);
    });
    const drift = ofType(det.detect(fast, mel.compute(fast), false), 'tonal-drift');
    assert.ok(drift.length >= 2, JSON.stringify(drift));
    for (const e of drift) {
      assert.ok(e.strength > 1 && e.strength < 3, `shift ${e.strength}%`);
      assert.ok(e.band[1] > e.band[0]);
    }
  });

  it('finds a leak as a noise rise in the high bands', () => {
    const { det, long } = warmed(16);
    const w = withFault(windowAt(long, 6), 'leak', { seed: 3, relDb: -12 });
    const rise = ofType(det.detect(w, mel.compute(w), false), 'noise-rise');
    assert.equal(rise.length, 1, JSON.stringify(rise));
    assert.ok(rise[0]!.band[0] >= 2000 && rise[0]!.band[1] === 8000, JSON.stringify(rise[0]));
  });

  it('reports a dropout when the machine stops and a level step when it gets louder mid-window', () => {
    const { det, long } = warmed(17);
    const stop = windowAt(long, 6);
    stop.fill(0, SR / 2);
    const events = det.detect(stop, mel.compute(stop), false);
    const dropout = ofType(events, 'dropout');
    assert.equal(dropout.length, 1);
    assert.ok(Math.abs(dropout[0]!.t - 0.5) < 0.02);
    const step = windowAt(long, 7);
    for (let i = SR * 0.3; i < SR; i++) step[i] = step[i]! * 4;
    const steps = ofType(det.detect(step, mel.compute(step), false), 'level-step');
    assert.equal(steps.length, 1);
    assert.ok(Math.abs(steps[0]!.t - 0.3) < 0.03 && Math.abs(steps[0]!.strength - 12) < 1.5, JSON.stringify(steps));
  });
});
