// The strokes' side of a segment line under a white glare patch (glare-side.ts, segment-light.ts). On a green LCD a
// lamp's reflection whitens the glass over the middle of E707; the white is farther in colour from the green border
// than the dark strokes are, so the far pixels voted 'bright', the cells sampled the glare, and the recogniser's 6707
// stood. The glare is a wide smooth white patch and the strokes are thin: set aside, the strokes win the vote.
// The crop is the display line of frame 0131 of scripts/gen-panels.ts seed 272 (seven-segment, LCD, glare).
// Two crops guard the rule's other side, both from a drawn dot-matrix frame (seed 255, frame 479) whose line finder
// also boxed panel furniture: a yellow indicator lamp ringed by a dark rim (a wide patch, but coloured, not glare:
// taken 'dark', its rim read "C 3" and the frame reported that as its code), and a blue button on a white panel.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { lineLight } from '../../src/vision/ocr/segment-light.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crops = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');
const load = async (name: string) => frameToRgb(await decodeImageFile(join(crops, name)));

describe('a white glare patch over an LCD\'s dark strokes', { timeout: 120_000 }, () => {
  const r = realReader();

  test('E707 under glare on a green LCD: the strokes are dark, and the line reads E707, not 6707', async () => {
    const crop = await load('e707-white-glare-green-lcd.png');
    assert.equal(lineLight(crop)?.polarity, 'dark');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.text.toUpperCase(), 'E707', JSON.stringify(line));
    assert.equal(line.reading?.kind, 'alarm');
  });

  test('a coloured wide patch is no glare: a yellow lamp with a dark rim, a blue button on white, keep their side', async () => {
    assert.equal(lineLight(await load('yellow-lamp-dark-ring.png'))?.polarity, 'bright');
    assert.equal(lineLight(await load('blue-button-white-surround.png'))?.polarity, 'bright');
  });
});
