// The status page's live spectrogram: the audio analyzer hands each window's
// log-mel frames to the ring (no second capture); the ring pools them into
// columns, keeps each moment once when windows overlap, and a reader gets only
// the columns it lacks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioAnalyzer } from '../../src/audio/analyzer.js';
import { defaultMelParams } from '../../src/audio/mel.js';
import { SpectrogramRing } from '../../src/audio/spectrogram-ring.js';
import type { AudioWindow } from '../../src/types.js';
import { toPcm16 } from '../fixtures/audio/synth.js';

const RATE = 16000;
const tone = (hz: number, seconds: number, level = 0.3): Float32Array =>
  Float32Array.from({ length: Math.round(RATE * seconds) }, (_, i) => level * Math.sin((2 * Math.PI * hz * i) / RATE));
const windowOf = (x: Float32Array, ts: number, seq: number): AudioWindow => ({ samples: toPcm16(x), sampleRate: RATE, ts, seq, source: 'test' });

/** Columns of a since() answer as arrays of band bytes. */
function columns(c: { data: string; bands: number }): number[][] {
  const bytes = Buffer.from(c.data, 'base64');
  const out: number[][] = [];
  for (let i = 0; i < bytes.length / c.bands; i++) out.push([...bytes.subarray(i * c.bands, (i + 1) * c.bands)]);
  return out;
}
const loudestBand = (col: number[]): number => col.indexOf(Math.max(...col));

describe('SpectrogramRing', () => {
  it('takes the analyzer\'s own log-mel frames: a low tone then a high tone show as a low then a high band', async () => {
    const p = defaultMelParams(RATE, 64);
    const ring = new SpectrogramRing({ bands: p.melBands, frameMs: (p.hopLength / RATE) * 1000, maxHz: p.fMax });
    const analyzer = await AudioAnalyzer.create({ vad: false, onLogMel: (m, ts) => ring.add(m, ts) });
    try {
      const t0 = Date.now();
      const low = await analyzer.analyze(windowOf(tone(300, 1), t0, 0));
      await analyzer.analyze(windowOf(tone(3000, 1), t0 + 1000, 1));
      const frames = low.detail!.frames as number;
      const all = ring.since(0);
      assert.equal(all.bands, 64);
      assert.equal(all.colMs, 40);
      assert.equal(all.maxHz, 8000);
      assert.equal(all.from, 0);
      assert.equal(all.next, Math.floor((2 * frames) / 4), 'every frame of both windows, pooled by 4');
      const cols = columns(all);
      assert.equal(cols.length, all.next);
      const lowBand = loudestBand(cols[5]!);
      const highBand = loudestBand(cols[cols.length - 5]!);
      assert.ok(highBand > lowBand + 10, `3 kHz (band ${highBand}) sits well above 300 Hz (band ${lowBand})`);
      assert.ok(Math.max(...cols[5]!) > Math.min(...cols[5]!) + 50, 'the tone stands out of the quiet bands');
    } finally {
      await analyzer.close();
    }
  });

  it('keeps each moment once when windows overlap, answers only what a reader lacks, and holds keepSec', () => {
    const bands = 8;
    const ring = new SpectrogramRing({ bands, frameMs: 10, pool: 2, keepSec: 1 });
    const frames = (n: number, v: number) => new Float32Array(n * bands).fill(v);
    ring.add(frames(100, -5), 0); // 0..1000 ms: 50 columns
    assert.equal(ring.total, 50);
    ring.add(frames(100, 0), 500); // 500..1500 ms: only 1000..1500 is new
    assert.equal(ring.total, 75);
    const tail = ring.since(50);
    assert.equal(tail.from, 50);
    assert.equal(columns(tail).length, 25);
    assert.ok(columns(tail).every((c) => c.every((b) => b === columns(tail)[0]![0])), 'only the second window\'s level');
    assert.equal(ring.since(ring.total).data, '', 'nothing new');
    ring.add(frames(200, 1), 1500); // 100 more columns: the ring holds 1 s = 50 columns
    const held = ring.since(0);
    assert.equal(held.next, 175);
    assert.equal(held.from, 125, 'the oldest held column');
    assert.equal(columns(held).length, 50);
    assert.equal(ring.since(0, 10).from, 165, 'at most maxCols');
  });

  it('maps the front end\'s floor to 0 and clips loud bands at 255', () => {
    const ring = new SpectrogramRing({ bands: 2, frameMs: 10, pool: 1 });
    ring.add(Float32Array.from([Math.log(1e-10), 40]), 0);
    assert.deepEqual(columns(ring.since(0))[0], [0, 255]);
  });
});
