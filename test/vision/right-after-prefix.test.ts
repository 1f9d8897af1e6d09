// A bare number completed at its left end with a code's letters is looked at again at its right end
// (cut-line-ends.ts rightAfterPrefix). The frame is scripts/gen-panels-drawn.ts seed 381 frame 83 (a fresh set, never
// tuned on): AL9551 on a green fourteen-segment LED with glowing unlit segments, a glare spot over the A. The second
// look boxed 955 alone; its left end, read wider for a code's letters, gave AL955. The last 1, drawn at the right of
// its cell, stands a cell's gap past the last 5: a bare number's right end is read again only where the box cuts a
// glyph, so AL955 was reported, with and without the catalog.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { codesWithAndWithoutCatalog } from '../helpers/real-readers.js';

const FRAME = join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-fourteen-ghost-al9551-prefix-then-one-past-right.png');
// A code the project's fixtures read whole with its letters after a prefix look (the box's end not past a glyph).
const NOTHING_PAST = join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-seven-segment-err52-prefix-under-glare.jpg');

describe('a code\'s number past the right end once its letters were found at the left', { timeout: 240_000 }, () => {
  test('AL9551 on a whole frame, with the catalog\'s patterns and without', async () => {
    assert.deepEqual(await codesWithAndWithoutCatalog(FRAME, ['/AL\\d{3,4}/', '/E\\d{2,3}/']), [['AL9551'], ['AL9551']]);
  });

  test('a code whose letters were found so and nothing stands past its right end keeps its number', async () => {
    assert.deepEqual(await codesWithAndWithoutCatalog(NOTHING_PAST, ['/ERR[- ]?\\d{2,3}/', '/E\\d{2,3}/']), [['ERR52'], ['ERR52']]);
  });
});
