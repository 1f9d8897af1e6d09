// Dev aid (kind47): which of the analyzer's alarm-code filters drops a line read as an alarm.
//   node --import tsx bench/_kind47-filters.ts FRAME...
import { decodeImageFile } from '../src/vision/image.js';
import { PanelReader, type OcrLine } from '../src/vision/ocr/panel-reader.js';
import { cellsCodeOnWord, cellsDigitReadAsOtherLetter } from '../src/vision/ocr/digit-places.js';
import { namePartBefore } from '../src/vision/ocr/name-start-value.js';
import { statusOfPiece } from '../src/vision/ocr/status-pieces.js';
import { benchAnalyzer } from './_set.js';

const reader = await PanelReader.create({ reuseUnchanged: false });
const an = await benchAnalyzer({ reader });
for (const f of process.argv.slice(2)) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const anx = an as any;
  let lines: OcrLine[] = [];
  const orig = anx.alarmCodesOf.bind(an);
  anx.alarmCodesOf = (ls: OcrLine[], all: OcrLine[]) => { lines = all; return orig(ls, all); };
  const a = await an.analyze(await decodeImageFile(f));
  const g = anx.grammar;
  console.log(f, JSON.stringify(a.alarmCodes));
  for (const l of lines) {
    const c = l.reading?.code;
    console.log(' ', JSON.stringify({ text: l.text, kind: l.reading?.kind, code: c, raw: l.reading?.raw, cells: l.cells, doubt: l.codeInDoubt, conf: l.confidence }));
    if (!c || !l.reading) continue;
    console.log('   remains', g.statusRemains(l.reading, c, l.cells, l.reading.text), 'piece', statusOfPiece(l, c, lines), 'namePart', namePartBefore(l, c, lines, g),
      'digitAsLetter', cellsDigitReadAsOtherLetter(c, l.reading.raw, l.cells), 'onWord', cellsCodeOnWord(c, l.reading.raw, l.cells));
  }
}
await reader.close();
