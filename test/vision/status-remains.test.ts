// A status line whose first letter is lost is no alarm (status-remains.ts):
// RUN 125 read "un 125" was decoded by the code grammar as U1125 and reported as
// an alarm. The letters read before the number spell the end of a status name
// (UN of RUN, PEED of SPEED), which no usual alarm prefix does, and the code kept
// fewer of them than were read. A code whose prefix is the letters as read stays.
// The fixture is a 640x360-class frame of scripts/gen-panels.ts (DSEG7 Classic
// Light, LCD, glare, tilt, JPEG) showing RUN 125, where the R is lost.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { statusTail } from '../../src/vision/ocr/status-remains.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'frames');

describe('the remains of a status name before a number', () => {
  const grammar = new LineGrammar();
  const names = grammar.statusNames;
  const prefixes = new Set(['E', 'ER', 'ERR', 'A', 'AL', 'ALM', 'F', 'FL', 'FLT', 'H', 'C', 'P', 'U', 'L']);

  test('two or more letters that end a status name and are no alarm prefix', () => {
    assert.equal(statusTail('UN', names, prefixes), 'RUN');
    assert.equal(statusTail('peed', names, prefixes), 'SPEED');
    assert.equal(statusTail('EMP', names, prefixes), 'TEMP');
    assert.equal(statusTail('ET', names, prefixes), 'SET');
    // One letter says nothing (E, P end many names and start many codes); a usual prefix or a whole name is no tail.
    assert.equal(statusTail('N', names, prefixes), null);
    assert.equal(statusTail('FL', names, prefixes), null);
    assert.equal(statusTail('RUN', names, prefixes), null);
    assert.equal(statusTail('AL', names, prefixes), null);
  });

  test('a code that turned such letters into digits is the remains of the status; one that kept them as read stands', () => {
    assert.equal(grammar.statusRemains({ raw: 'un 125' }, 'U1125'), 'RUN');
    assert.equal(grammar.statusRemains({ raw: 'UN604' }, 'U8604'), 'RUN');
    assert.equal(grammar.statusRemains({ raw: 'EMP 72' }, 'E872'), 'TEMP');
    // The letters read are the code's prefix (or a usual one): an alarm.
    assert.equal(grammar.statusRemains({ raw: 'EL 12' }, 'FL12'), null);
    assert.equal(grammar.statusRemains({ raw: '8L885' }, 'AL885'), null);
    assert.equal(grammar.statusRemains({ raw: 'E-317' }, 'E-317'), null);
    assert.equal(grammar.statusRemains({ raw: 'ERR 54' }, 'ERR 54'), null);
  });
});

describe('a frame of RUN 125 whose R is lost', { timeout: 180_000 }, () => {
  let plain: VisionAnalyzer;
  let withCatalog: VisionAnalyzer;
  before(async () => {
    plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    withCatalog = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false }, alarmPatterns: ['/U\\d{3,4}/', '/E-\\d{3}/'] });
  });
  after(async () => {
    await plain?.close();
    await withCatalog?.close();
  });

  test('reports no alarm, with or without a catalog that has U codes', async () => {
    const frame = await decodeImageFile(join(FIXTURES, 'seven-segment-run-125-first-letter-lost.jpg'));
    for (const a of [plain, withCatalog]) {
      const f = await a.analyze(frame);
      assert.deepEqual(f.alarmCodes, [], JSON.stringify(f.detail.ocr));
    }
  });
});
