// A frame whose display one line reads surely skips the other lines' retries on other views (sure-display.ts,
// issue #11 item 4: the retries' recognition was about half of a drawn frame's). The rule on hand-made readings,
// and on camera frames drawn from segment geometry: a frame read surely runs no more recognition than a reader
// that never retries, and reads its code as before.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateDrawnPanelSet, type DrawnPanelLabel } from '../../scripts/gen-panels-drawn.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { cpuSessionOpener, type SessionOpener } from '../../src/inference/session.js';
import { decodeImageFile } from '../../src/vision/image.js';
import type { LineInterpretation } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { sureDisplayLine } from '../../src/vision/ocr/sure-display.js';
import { tempDir } from '../helpers/tmp.js';

const g = new LineGrammar();
const settled = { dotMatrix: false, inDoubt: false };
const line = (text: string, confidence: number, segment = 0.9, extra: Partial<LineInterpretation> = {}): LineInterpretation => {
  const reading = g.classifyText(text, confidence);
  return { text, confidence, segment, ...(reading ? { reading } : {}), ...extra };
};

test('a code read as it is, surely, is the display read surely; an unsure or a changed one is not', () => {
  assert.equal(sureDisplayLine(line('E-317', 0.97), 'E-317', settled, g, 0.9), true);
  assert.equal(sureDisplayLine(line('E-317', 0.85), 'E-317', settled, g, 0.9), false, 'under the retry threshold');
  const changed = line('E-317', 0.97);
  assert.equal(sureDisplayLine({ ...changed, reading: { ...changed.reading!, constraintCost: 1.2, changed: 1 } }, 'E-317', settled, g, 0.9), false, 'the grammar changed it');
});

test('a line in doubt counts only where the segment cells and the recogniser spell the same code', () => {
  const doubt = { dotMatrix: false, inDoubt: true };
  assert.equal(sureDisplayLine(line('E-764', 0.78, 1, { cells: 'E-764' }), 'E-764', doubt, g, 0.9), true);
  assert.equal(sureDisplayLine(line('E-764', 0.78, 1, { cells: 'E-764' }), '6-764', doubt, g, 0.9), false, 'the recogniser read another text');
  assert.equal(sureDisplayLine(line('E-764', 0.78, 1), 'E-764', doubt, g, 0.9), false, 'the cells did not decide it');
  assert.equal(sureDisplayLine(line('E-764', 0.5, 1, { cells: 'E-764' }), 'E-764', doubt, g, 0.9), false, 'too unsure');
  assert.equal(sureDisplayLine(line('RUN 1450', 0.8, 1, { cells: 'RUN 1450' }), 'RUN 1450', doubt, g, 0.9), false, 'a status in doubt: the retries decide');
});

test('a named status with a number counts on a display, not in print; a word or a bare number never does', () => {
  assert.equal(sureDisplayLine(line('RUN 1450', 0.97, 0.9), 'RUN 1450', settled, g, 0.9), true);
  assert.equal(sureDisplayLine(line('RUN 1450', 0.97, 0.1), 'RUN 1450', settled, g, 0.9), false, 'printed: a legend, maybe not the display');
  assert.equal(sureDisplayLine(line('RUN 1450', 0.97, 0), 'RUN 1450', { dotMatrix: true, inDoubt: false }, g, 0.9), true, 'a dot-matrix display');
  assert.equal(sureDisplayLine(line('1450', 0.97, 0.9), '1450', settled, g, 0.9), false, 'a bare number');
  assert.equal(sureDisplayLine(line('CAUTION', 0.99, 0.9), 'CAUTION', settled, g, 0.9), false);
});

const TEXTS: Array<{ text: string; kind: 'alarm' | 'status'; display: DrawnPanelLabel['display'] }> = [
  { text: 'E-317', kind: 'alarm', display: 'seven-segment' },
  { text: 'F929', kind: 'alarm', display: 'seven-segment' },
  { text: 'AL7735', kind: 'alarm', display: 'fourteen-segment' },
  { text: 'C-79', kind: 'alarm', display: 'sixteen-segment' },
];

describe('frames whose display is read surely', { timeout: 300_000 }, () => {
  const dir = tempDir('sure-display');
  let labels: DrawnPanelLabel[] = [];
  const runs = { n: 0 };
  // Recognition runs counted (the recogniser's model only).
  const counting = (): SessionOpener => {
    const open = cpuSessionOpener();
    return async (path, label) => {
      const s = await open(path, label);
      return /rec/.test(path) ? { ...s, inputNames: s.inputNames, outputNames: s.outputNames, release: () => s.release(), run: (f) => { runs.n++; return s.run(f); } } : s;
    };
  };
  let reader: PanelReader, retrying: VisionAnalyzer, never: VisionAnalyzer;
  before(async () => {
    labels = await generateDrawnPanelSet({ outDir: dir, count: TEXTS.length, seed: 11, texts: TEXTS });
    reader = await PanelReader.create({ reuseUnchanged: false, openSession: counting() });
    retrying = await VisionAnalyzer.create({ reader, ocr: { enabled: true, minConfidence: 0.5 } });
    never = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false }, readerOptions: { enhance: false, openSession: counting() } });
  });
  after(async () => {
    await reader?.close();
    await never?.close();
  });

  test('a frame read surely runs the recogniser as often as a reader that never retries, and reads its code', async () => {
    let sure = 0;
    const seen: string[] = [];
    for (const l of labels) {
      const frame = await decodeImageFile(join(dir, l.file));
      const before = reader.sureFrames;
      runs.n = 0;
      const v = await retrying.analyze(frame);
      const withRule = runs.n;
      runs.n = 0;
      await never.analyze(frame);
      const without = runs.n;
      seen.push(`${l.text}: ${JSON.stringify(v.alarmCodes)} sure ${reader.sureFrames - before}, recognition runs ${withRule} / ${without} never retrying`);
      if (reader.sureFrames === before) continue;
      sure++;
      assert.deepEqual(v.alarmCodes, [l.alarm], seen.join('; '));
      assert.equal(withRule, without, seen.join('; '));
    }
    assert.ok(sure >= 1, `no frame read surely: ${seen.join('; ')}`);
    console.log(seen.join('\n'));
  });
});
