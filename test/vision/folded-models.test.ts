// The detector and recogniser run as folded float copies (folded-models.ts, issue #11 speed): the learnable affine
// blocks and BatchNormalizations around PP-LCNetV3's Convs folded into the Conv weights. The copies must compute
// the same function up to float rounding on the reader's real inputs (recorded from real frames), be made once
// and cached under the source's hash, be made again when the cache file is damaged, and give way to the original
// file (with a warning) when they cannot be written or opened.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openCpuSession, type ModelSession } from '../../src/inference/session.js';
import type { Feeds } from '../../src/inference/tensor.js';
import { readModel } from '../../src/inference/onnx-io.js';
import { recordOcrFeeds } from '../../src/quantize/ocr-inputs.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { defaultDerivedDir, deriveFolded, foldedModel, foldedOcrModels, useDerivedModelsDir } from '../../src/vision/ocr/folded-models.js';
import { bundledOcrModels, PanelReader } from '../../src/vision/ocr/panel-reader.js';

const FRAMES = ['drawn-c-19-boxed-inside-dash.jpg', 'dot-matrix-e72-vfd-glare.jpg'].map((f) => join('test/fixtures/frames', f));
const models = bundledOcrModels();
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'fs-folded-'));
  dirs.push(d);
  return d;
};
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

async function maxDiff(a: ModelSession, b: ModelSession, feeds: Feeds[]): Promise<{ diff: number; argmaxSame: boolean }> {
  let diff = 0, argmaxSame = true;
  for (const f of feeds) {
    const feed = Object.fromEntries(Object.entries(f).map(([k, t]) => [k, { data: t.data as Float32Array, dims: t.dims }]));
    const x = Object.values(await a.run(feed))[0]!, y = Object.values(await b.run(feed))[0]!;
    assert.deepEqual(y.dims, x.dims);
    for (let i = 0; i < x.data.length; i++) diff = Math.max(diff, Math.abs(x.data[i]! - y.data[i]!));
    // Per time step of the recogniser (last axis: classes), the same best class.
    const classes = x.dims.at(-1)!;
    if (x.dims.length === 3) {
      for (let s = 0; s < x.data.length; s += classes) {
        let bx = s, by = s;
        for (let i = s; i < s + classes; i++) { if (x.data[i]! > x.data[bx]!) bx = i; if (y.data[i]! > y.data[by]!) by = i; }
        if (bx !== by) argmaxSame = false;
      }
    }
  }
  return { diff, argmaxSame };
}

describe('folded float OCR models', () => {
  it('fold away most nodes and compute the same maps and probabilities on the reader\'s real inputs', async () => {
    const dir = freshDir();
    const [det, rec] = [await foldedModel(models.detection, dir), await foldedModel(models.recognition, dir)];
    assert.notEqual(det, models.detection);
    assert.notEqual(rec, models.recognition);
    for (const [orig, folded] of [[models.detection, det], [models.recognition, rec]]) {
      const [n0, n1] = [readModel(orig).graph.node.length, readModel(folded).graph.node.length];
      assert.ok(n1 < n0 * 0.6, `${folded}: ${n1} nodes left of ${n0}`);
    }
    const panels = FRAMES.map((file) => ({ file }));
    const feeds = await recordOcrFeeds(models, panels, 12);
    assert.ok(feeds.det.length >= 2 && feeds.rec.length >= 2);
    const open = (f: string) => openCpuSession(f);
    const [d0, d1, r0, r1] = await Promise.all([open(models.detection), open(det), open(models.recognition), open(rec)]);
    try {
      const d = await maxDiff(d0, d1, feeds.det);
      const r = await maxDiff(r0, r1, feeds.rec);
      assert.ok(d.diff < 1e-4, `detector map differs by ${d.diff}`);
      assert.ok(r.diff < 1e-4, `recogniser probabilities differ by ${r.diff}`);
      assert.ok(r.argmaxSame, 'the recogniser\'s best class changed at some step');
    } finally {
      await Promise.all([d0, d1, r0, r1].map((s) => s.release()));
    }
  });

  it('read the same lines off real frames as the original files', async () => {
    const folded = await PanelReader.create({ reuseUnchanged: false, foldedModels: freshDir() });
    const plain = await PanelReader.create({ reuseUnchanged: false, foldedModels: false });
    try {
      for (const f of FRAMES) {
        const img = frameToRgb(await decodeImageFile(f));
        const [a, b] = [await plain.read(img), await folded.read(img)];
        assert.deepEqual(b.map((l) => l.text), a.map((l) => l.text), f);
        assert.ok(a.length > 0, f);
      }
    } finally {
      await folded.close();
      await plain.close();
    }
  });

  it('are made once, kept under the source\'s hash, and made again when the cache file is damaged', async () => {
    const dir = freshDir();
    const src = join(dir, 'det.onnx');
    writeFileSync(src, readFileSync(models.detection));
    const first = await foldedModel(src, dir);
    assert.match(first, /det\.[0-9a-f]{20}\.fold\d+\.onnx$/);
    const made = statSync(first).mtimeMs;
    assert.equal(await foldedModel(src, dir), first);
    assert.equal(statSync(first).mtimeMs, made, 'taken from the cache, not made again');
    writeFileSync(first, 'damaged');
    assert.equal(await foldedModel(src, dir), first);
    assert.equal(readFileSync(first).length > 1000, true, 'made again');
    // A changed source gets its own copy.
    const bytes = readModel(readFileSync(models.detection));
    bytes.producer_name = 'changed';
    const { writeModel } = await import('../../src/inference/onnx-io.js');
    writeFileSync(src, writeModel(bytes));
    const second = await foldedModel(src, dir);
    assert.notEqual(second, first);
  });

  it('fall back to the original file when the copy cannot be written or opened', async () => {
    const dir = freshDir();
    chmodSync(dir, 0o500);
    try {
      // Root writes anyway; only check the fallback where the folder really is read-only.
      let writable = true;
      try { writeFileSync(join(dir, 'probe'), ''); } catch { writable = false; }
      if (!writable) assert.equal(await foldedModel(models.recognition, join(dir, 'sub')), models.recognition);
    } finally {
      chmodSync(dir, 0o700);
    }
    // A folder others can write in is not trusted with code we run.
    const open777 = freshDir();
    chmodSync(open777, 0o777);
    assert.equal(await foldedModel(models.detection, open777), models.detection);
    // A path that is a file, not a folder: the copy cannot be written there.
    const notDir = join(freshDir(), 'file');
    writeFileSync(notDir, '');
    assert.equal(await foldedModel(models.detection, notDir), models.detection);
    // A copy that does not open: the opener is asked for the original.
    const asked: string[] = [];
    const { models: m, open } = await foldedOcrModels(models, freshDir(), async (path) => {
      asked.push(path);
      if (path !== models.detection) throw new Error('cannot open');
      return openCpuSession(path);
    });
    assert.notEqual(m.detection, models.detection);
    const s = await open(m.detection);
    await s.release();
    assert.deepEqual(asked, [m.detection, models.detection]);
  });

  it('are kept where the process says (the daemon: its state folder), else per user under the temp folder', async () => {
    assert.ok(defaultDerivedDir().startsWith(tmpdir()), defaultDerivedDir());
    const dir = join(freshDir(), 'models', 'derived');
    useDerivedModelsDir(dir);
    assert.equal(defaultDerivedDir(), dir);
    const det = await foldedModel(models.detection);
    assert.ok(det.startsWith(dir) && statSync(det).size > 0, det);
  });

  it('leave a quantized model as it is', async () => {
    // A graph with a QuantizeLinear is not a plain float model: nothing is derived.
    const m = readModel(readFileSync(models.detection));
    m.graph.node[0]!.op_type = 'QuantizeLinear';
    const { writeModel } = await import('../../src/inference/onnx-io.js');
    assert.equal(await deriveFolded(writeModel(m)), null);
  });
});
