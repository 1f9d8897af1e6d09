// Full camera frames from the development-set generator (scripts/gen-panels.ts)
// through the real PP-OCRv4 models and the VisionAnalyzer: alarm codes on
// seven- and fourteen-segment displays read exactly, statuses reported as
// readings and never as alarms, with and without a catalog.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generatePanelSet, type PanelLabel } from '../../scripts/gen-panels.js';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { tempDir } from '../helpers/tmp.js';

const TEXTS: Array<{ text: string; kind: 'alarm' | 'status'; display: PanelLabel['display'] }> = [
  { text: 'E-317', kind: 'alarm', display: 'seven-segment' },
  { text: 'RUN 1450', kind: 'status', display: 'fourteen-segment' },
  { text: 'AL7735', kind: 'alarm', display: 'fourteen-segment' },
  { text: 'TEMP 72C', kind: 'status', display: 'plain' },
  { text: 'F12', kind: 'alarm', display: 'seven-segment' },
  { text: 'SPEED 1450', kind: 'status', display: 'dot-matrix' },
  { text: 'ERR 04', kind: 'alarm', display: 'fourteen-segment' },
  { text: 'MODE AUTO', kind: 'status', display: 'fourteen-segment' },
];

describe('full generated frames end to end', { timeout: 240_000 }, () => {
  const dir = tempDir('panel-frames');
  let labels: PanelLabel[] = [];
  let plain: VisionAnalyzer;
  let withCatalog: VisionAnalyzer;
  before(async () => {
    labels = await generatePanelSet({ outDir: dir, count: TEXTS.length, seed: 11, clean: true, sizes: [[960, 540], [1280, 720]], texts: TEXTS });
    plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 } });
    withCatalog = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5 }, alarmPatterns: ['/E-\\d{3}/', 'AL7735', '/F\\d{2}/', 'ERR 04'] });
  });
  after(async () => {
    await plain?.close();
    await withCatalog?.close();
  });

  /** Reads every frame; returns the frames read wrongly. Status frames must never give an alarm. */
  async function misreads(analyzer: VisionAnalyzer): Promise<{ alarms: string[]; statuses: string[] }> {
    const alarms: string[] = [], statuses: string[] = [];
    for (const l of labels) {
      const v = await analyzer.analyze(await decodeImageFile(join(dir, l.file)));
      const codes = v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase());
      if (l.kind === 'status') {
        assert.deepEqual(v.alarmCodes, [], `${l.text} (${l.display}) must not be an alarm: ${JSON.stringify(v.detail?.ocr)}`);
        const r = v.readings?.find((x) => x.name === l.status!.name);
        if (!r || r.value !== l.status!.value) statuses.push(`${l.text}: readings ${JSON.stringify(v.readings)}`);
      } else {
        assert.equal(codes.length, 1, `${l.text} (${l.display}) gives one code: ${JSON.stringify(v.detail?.ocr)}`);
        if (codes[0] !== l.alarm!.replace(/\s+/g, '')) alarms.push(`${l.text} (${l.display}) read as ${codes[0]}`);
      }
    }
    return { alarms, statuses };
  }

  test('with catalog patterns: every alarm code exact (segment look-alikes resolved), statuses are readings', async () => {
    assert.deepEqual(await misreads(withCatalog), { alarms: [], statuses: [] });
  });

  test('an unchanged display is not recognised again; a changed one is', async () => {
    const reader = await PanelReader.create();
    try {
      const rgb = async (i: number) => frameToRgb(await decodeImageFile(join(dir, labels[i]!.file)));
      const first = await reader.read(await rgb(0));
      assert.ok(first.length > 0 && first.every((l) => !l.reused));
      const again = await reader.read(await rgb(0));
      assert.deepEqual(again.map((l) => l.text), first.map((l) => l.text));
      assert.ok(again.every((l) => l.reused), 'same crops: readings reused');
      assert.equal(reader.reusedLines, first.length);
      const other = await reader.read(await rgb(1));
      assert.ok(other.some((l) => !l.reused), 'a different display is read');
    } finally {
      await reader.close();
    }
  });

  test('without a catalog: statuses are readings, never alarms; each alarm frame gives one code, most of them exact', async () => {
    const m = await misreads(plain);
    assert.deepEqual(m.statuses, []);
    // Measured: E-317 and ERR 04 exact; AL7735 read as AL7935 and F12 as E12 (the recogniser's own digit and
    // letter slips that only a catalog can correct).
    assert.ok(m.alarms.length <= 2, m.alarms.join('; '));
  });
});
