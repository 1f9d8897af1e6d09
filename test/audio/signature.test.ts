// The differential signature: impulse rate from onsets (robust to a missed
// onset, none for random crackle), the ring of a knock kept apart from a squeal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AcousticEventDetector } from '../../src/audio/events.js';
import { LogMel } from '../../src/audio/mel.js';
import { audioSignature, impulseRate, isImpulseRing, mergeSignatures } from '../../src/audio/signature.js';
import type { AcousticEvent } from '../../src/types.js';
import { faultStream } from '../fixtures/audio/fault-sounds.js';
import { rng } from '../fixtures/audio/synth.js';

describe('audio signature', () => {
  it('measures the rate of a periodic train, tolerates a missed onset, and finds none in random crackle', () => {
    const train = Array.from({ length: 12 }, (_, i) => 0.05 + i / 8);
    assert.deepEqual(impulseRate(train), { rateHz: 8, regularity: 1 });
    const missed = train.filter((_, i) => i !== 5);
    assert.equal(impulseRate(missed).rateHz, 8);
    const rand = rng(3);
    const crackle = Array.from({ length: 20 }, () => rand()).sort((a, b) => a - b);
    const r = impulseRate(crackle);
    assert.equal(r.rateHz, null, JSON.stringify(r));
    assert.deepEqual(impulseRate([0.1, 0.2]), { rateHz: null, regularity: null });
  });

  it('a periodic knock through the event detector: every impulse carries the train rate, near the generated one', () => {
    const mel = new LogMel();
    const det = new AcousticEventDetector(mel.params);
    const { samples, info } = faultStream('knock', { seed: 8, seconds: 5, normalSeconds: 4 });
    let events: AcousticEvent[] = [];
    for (let i = 0; i < 5; i++) {
      const w = samples.slice(i * 16000, (i + 1) * 16000);
      events = det.detect(w, mel.compute(w), i < 4);
    }
    const sig = audioSignature(events, det.lastOnsets);
    assert.ok(sig.impulseRateHz !== null && Math.abs(sig.impulseRateHz - info.rateHz!) / info.rateHz! < 0.1, `${sig.impulseRateHz} vs ${info.rateHz}`);
    assert.ok(events.filter((e) => e.type === 'impulse').every((e) => e.rateHz === sig.impulseRateHz));
    assert.ok(sig.impulseBandHz && sig.impulseBandHz[0] < info.hz! && sig.impulseBandHz[1] > info.hz!, JSON.stringify(sig.impulseBandHz));
  });

  it('a tone inside a knock train\'s band is its ring, not a squeal; two windows merge to the most regular train', () => {
    const impulse = { type: 'impulse' as const, t: 0.1, band: [2400, 4200] as [number, number], strength: 12 };
    const ring = { type: 'tonal' as const, t: 0, band: [3150, 3170] as [number, number], strength: 20 };
    const squeal = { type: 'tonal' as const, t: 0, band: [1190, 1210] as [number, number], strength: 20 };
    assert.equal(isImpulseRing(ring, [impulse], 7), true);
    assert.equal(isImpulseRing(squeal, [impulse], 7), false);
    assert.equal(isImpulseRing(ring, [impulse], null), false, 'without a periodic train a tone is a tone');
    const onsets = Array.from({ length: 7 }, (_, i) => i / 7);
    const sig = audioSignature([impulse, ring, squeal], onsets);
    assert.equal(sig.tonalHz, 1200);
    const merged = mergeSignatures([audioSignature([], []), sig]);
    assert.equal(merged?.impulseRateHz, 7);
    assert.equal(merged?.tonalHz, 1200);
  });
});
