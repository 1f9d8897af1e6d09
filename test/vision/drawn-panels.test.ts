// Full camera frames of displays drawn from segment geometry (scripts/gen-panels-drawn.ts:
// SVG polygons, no fonts) through the real PP-OCRv4 models and the VisionAnalyzer:
// the reader must not depend on the DSEG fonts the main development set is drawn with.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateDrawnPanelSet, type DrawnPanelLabel } from '../../scripts/gen-panels-drawn.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { tempDir } from '../helpers/tmp.js';

const TEXTS: Array<{ text: string; kind: 'alarm' | 'status'; display: DrawnPanelLabel['display'] }> = [
  { text: 'E-317', kind: 'alarm', display: 'seven-segment' },
  { text: 'RUN 1450', kind: 'status', display: 'seven-segment' },
  { text: 'AL7735', kind: 'alarm', display: 'fourteen-segment' },
  { text: 'TEMP 72C', kind: 'status', display: 'sixteen-segment' },
  { text: 'F929', kind: 'alarm', display: 'seven-segment' },
  { text: 'PRES 7.8', kind: 'status', display: 'fourteen-segment' },
  { text: 'ERR 08', kind: 'alarm', display: 'dot-matrix' },
  { text: 'C-79', kind: 'alarm', display: 'sixteen-segment' },
];

describe('frames of displays drawn from segment geometry', { timeout: 240_000 }, () => {
  const dir = tempDir('drawn-panels');
  let labels: DrawnPanelLabel[] = [];
  let plain: VisionAnalyzer;
  let withCatalog: VisionAnalyzer;
  before(async () => {
    labels = await generateDrawnPanelSet({ outDir: dir, count: TEXTS.length, seed: 5, clean: true, texts: TEXTS });
    plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 } });
    withCatalog = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 },
      alarmPatterns: ['/E-\\d{3}/', '/AL\\d{3,4}/', '/F\\d{2,3}/', '/ERR \\d{2}/', '/C-\\d{2}/'] });
  });
  after(async () => {
    await plain?.close();
    await withCatalog?.close();
  });

  test('the generator draws what it labels: one frame per text, labels.jsonl in the gen-panels format', () => {
    assert.equal(labels.length, TEXTS.length);
    const written = readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DrawnPanelLabel);
    assert.deepEqual(written.map((l) => [l.text, l.display, l.kind]), TEXTS.map((t) => [t.text, t.display, t.kind]));
    for (const l of written) {
      assert.ok(l.width >= 640 && l.height >= 360, `${l.file} is camera-sized`);
      assert.ok(l.panel.x >= 0 && l.panel.x + l.panel.width <= l.width, `${l.file}: the panel lies in the frame`);
      assert.match(l.font, /^(7|14|16)seg-|^dots5x7-/, 'the style says how the glyphs were drawn');
    }
  });

  async function misreads(analyzer: VisionAnalyzer): Promise<{ alarms: string[]; statusAlarms: string[] }> {
    const alarms: string[] = [], statusAlarms: string[] = [];
    for (const l of labels) {
      const v = await analyzer.analyze(await decodeImageFile(join(dir, l.file)));
      const codes = [...new Set(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()))];
      const seen = `${l.text} (${l.display}, ${l.font}): ${JSON.stringify((v.detail?.ocr as Array<{ text: string }> | undefined)?.map((o) => o.text))}`;
      if (l.kind === 'status') { if (codes.length) statusAlarms.push(seen); }
      else if (codes.length !== 1 || codes[0] !== l.alarm!.replace(/\s+/g, '')) alarms.push(seen);
    }
    return { alarms, statusAlarms };
  }

  // Measured (main a4144c5): 4 of the 6 alarm codes exact with and without the catalog. The two misses are the
  // classes of misses on the 240-frame drawn set: AL7735 on a thin italic 14-segment display read
  // 807735 (the letters read as digits, so even the catalog's /AL\d{3,4}/ cannot take it), and ERR 08 on a
  // round-dot LED matrix read as a row of dots. A status line was never reported as an alarm.
  test('with catalog patterns: no status line an alarm, at most two alarm codes misread', async () => {
    const m = await misreads(withCatalog);
    assert.deepEqual(m.statusAlarms, []);
    assert.ok(m.alarms.length <= 2, m.alarms.join('; '));
  });

  test('without a catalog: no status line an alarm, at most two alarm codes misread', async () => {
    const m = await misreads(plain);
    assert.deepEqual(m.statusAlarms, []);
    assert.ok(m.alarms.length <= 2, m.alarms.join('; '));
  });
});
