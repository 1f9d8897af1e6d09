// A recognition batch that repeats one read before on the frame (the same crops, in the same order) is answered with
// that reading, not run again (repeated-batch.ts). The box-end re-reads asked for such batches: on the frame below a
// number's left end was widened for a code's letters, the display window's edge drew the farther crop back to the
// nearer one, and the lone line's batch was read a second time. The frame: scripts/gen-panels.ts seed 326, frame 23
// (a dark inverted seven-segment LCD showing the value 2515, JPEG), 640×360 as generated.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { cpuSessionOpener, type ModelSession } from '../../src/inference/session.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { rememberingBatches } from '../../src/vision/ocr/repeated-batch.js';
import { cropTextBox, type TextBox } from '../../src/vision/ocr/text-boxes.js';
import { recogniseCrops } from '../helpers/real-readers.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/status-2515-inverted-lcd-box-end-at-window-edge.jpg');

describe('a recognition batch read before on the frame', { timeout: 240_000 }, () => {
  /** The recogniser's inputs on the frame being read: shape and a hash of every value, one per run. */
  const inputs: string[] = [];
  let reader: PanelReader, analyzer: VisionAnalyzer;
  before(async () => {
    const open = cpuSessionOpener();
    // The reader's own sessions, the recogniser's runs noted (the folded copy keeps "rec" in its file name).
    const openSession = async (path: string, label?: string): Promise<ModelSession> => {
      const s = await open(path, label);
      if (!/_rec_/.test(basename(path))) return s;
      return { ...s, inputNames: s.inputNames, outputNames: s.outputNames, run: (feeds) => {
        const t = Object.values(feeds)[0]!, d = t.data as Float32Array;
        inputs.push(`${t.dims.join('x')} ${createHash('sha1').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex')}`);
        return s.run(feeds);
      } };
    };
    reader = await PanelReader.create({ reuseUnchanged: false, openSession });
    analyzer = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  });
  after(async () => {
    await reader?.close();
  });

  test('the box-end re-read whose crop the window\'s edge drew back to the nearer one runs no second time; the reading is the same', async () => {
    inputs.length = 0;
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.ok(inputs.length >= 3, `the frame's lines, their other views and their ends are read (${inputs.length} runs)`);
    assert.equal(new Set(inputs).size, inputs.length, `no recogniser input repeats on the frame: ${inputs.join(', ')}`);
    assert.deepEqual(v.alarmCodes, [], 'a status frame');
    assert.ok(v.text.some((t) => t.replace(/\s/g, '') === '2515'), `the value is read: ${JSON.stringify(v.text)}`);
  });

  test('only a whole batch alike is answered: other crops, another order or one crop more are read', async () => {
    const img = frameToRgb(await decodeImageFile(FRAME));
    const box = (x0: number, x1: number, y0: number, y1: number): TextBox => ({ points: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], score: 0.9 });
    // The display's window and a part of it, cropped twice each: equal pixels in other objects count as the same crop.
    const crop = (i: number): RgbImage => cropTextBox(img, i ? box(430, 560, 260, 320) : box(410, 575, 250, 330));
    let runs = 0;
    const rec = rememberingBatches((c) => { runs++; return recogniseCrops(reader, c); });
    const first = await rec([crop(0), crop(1)]);
    const again = await rec([{ ...crop(0), data: crop(0).data.slice() }, crop(1)]);
    assert.equal(runs, 1, 'the same crops in the same order: no run');
    assert.ok(again[0] === first[0] && again[1] === first[1], 'the earlier readings themselves');
    await rec([crop(1), crop(0)]);
    await rec([crop(0)]);
    await rec([crop(0), crop(1), crop(1)]);
    assert.equal(runs, 4, 'another order, a batch of its own or one crop more: each read');
    const changed = crop(1);
    const data = changed.data.slice();
    data[0] = data[0]! + 1;
    await rec([crop(0), { ...changed, data }]);
    assert.equal(runs, 5, 'one value changed: read');
  });
});
