// The development-set generators give the same pixels from the same seed. Held-back sets are kept as seeds, and a set
// made again on a fresh machine must be the set that was measured: ImageMagick's camera noise came from its own
// unseeded generator, so every frame with noise differed from one run to the next (labels alike, pixels not), and a
// figure measured on a re-made set did not compare with the old one. Each generator makes a frame with noise twice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateDrawnPanelSet } from '../../scripts/gen-panels-drawn.js';
import { generatePanelSet } from '../../scripts/gen-panels.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('generator-seeds');

test('a drawn frame with camera noise is the same bytes from the same seed', { timeout: 120_000 }, async () => {
  const [a, b] = [join(dir, 'drawn-a'), join(dir, 'drawn-b')];
  const [la] = await Promise.all([generateDrawnPanelSet({ outDir: a, count: 1, seed: 990 }), generateDrawnPanelSet({ outDir: b, count: 1, seed: 990 })]);
  assert.ok(la[0]!.effects.includes('noise'), `the frame under test has noise (${la[0]!.effects})`);
  assert.ok(readFileSync(join(a, la[0]!.file)).equals(readFileSync(join(b, la[0]!.file))), la[0]!.file);
});

test('a font-drawn frame with camera noise is the same bytes from the same seed', { timeout: 120_000 }, async () => {
  const [a, b] = [join(dir, 'font-a'), join(dir, 'font-b')];
  const [la] = await Promise.all([generatePanelSet({ outDir: a, count: 1, seed: 1000 }), generatePanelSet({ outDir: b, count: 1, seed: 1000 })]);
  assert.ok(la[0]!.effects.includes('noise'), `the frame under test has noise (${la[0]!.effects})`);
  assert.ok(readFileSync(join(a, la[0]!.file)).equals(readFileSync(join(b, la[0]!.file))), la[0]!.file);
});
