// Development aid (i11ad): what the recogniser and interpretLine read on texts drawn with a font (DSEG7 ...), three looks each.
//   node --import tsx bench/_i11ad-render.ts FONT TEXT...
import { execFileSync } from 'node:child_process';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { interpretLine, type Recognised } from '../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../src/vision/ocr/line-grammar.js';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
const reader = await PanelReader.create({ reuseUnchanged: false });
const [font, ...texts] = process.argv.slice(2);
for (const text of texts) {
  for (const [bg, fg, extra] of [['#0a0a0a', '#ff5030', []], ['#9aa88a', '#1a1f18', ['-blur', '0x1.2']], ['#0a0a0a', '#40ff80', ['-blur', '0x2']]] as const) {
    const out = '/tmp/i11ad/render.png';
    execFileSync('convert', ['-background', bg, '-fill', fg, '-font', font!, '-pointsize', '48', `label:${text}`, '-bordercolor', bg, '-border', '14x10', ...extra, out]);
    const crop = frameToRgb(await decodeImageFile(out));
    const [rec] = await (reader as unknown as { recognise(c: unknown[]): Promise<Recognised[]> }).recognise([crop]);
    const line = interpretLine(crop, rec!, reader.dictionary, { grammar: new LineGrammar() });
    console.log(text, fg, extra.join(' '), JSON.stringify(rec!.greedy.text), '->', line.text, line.reading?.kind, line.confidence.toFixed(2), line.cells ?? '');
  }
}
await reader.close();
