// Development aid for bench/ocr.ts: reads generated panels (without and with
// the catalog patterns) and prints, per frame, the label, what was reported and
// every line read (text, raw, kind, segment likelihood), so misreads can be
// looked at one by one. Not a benchmark (no peer).
//   node --import tsx bench/_ocr-dump.ts DIR [FROM] [COUNT] [options]
// --misses        only frames read wrong (an alarm misread or missed, a status frame reporting an alarm)
// --only=F,F...   frames whose file names begin so (--only=0012 is frame 12)
// --display=K,K   display kinds only (dot-matrix, sixteen-segment, …); --alarms / --statuses: those frames only
// --no-catalog    read without the catalog only (one analyzer, half the time)
// --boxes         also the detector's line boxes of the frame, with each box's dot-matrix score and pitch
// --marks         FRAME and RESULT lines on stderr around each frame, so the debug lines the reader logs
//                 (FAULTSENSE_LOG_LEVEL=debug: merges, box-end re-reads, joined dots) fall under their frame
import { join } from 'node:path';
import { decodeImageFile, frameToRgb } from '../src/vision/image.js';
import { dotMatrixLine } from '../src/vision/ocr/dot-matrix.js';
import { PanelReader } from '../src/vision/ocr/panel-reader.js';
import { cropTextBox } from '../src/vision/ocr/text-boxes.js';
import { boxLabel } from './_line-crops.js';
import { benchAnalyzer, filterArgs, lineSummary, readLabels, readRight } from './_set.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flag = (f: string): boolean => process.argv.includes(f);
const missesOnly = flag('--misses'), withCatalog = !flag('--no-catalog');
const dir = args[0]!;
const from = Number(args[1] ?? 0), count = Number(args[2] ?? 40);
const labels = readLabels(dir, filterArgs(process.argv, from, count));
const reader = await PanelReader.create({ reuseUnchanged: false });
const plain = await benchAnalyzer({ reader });
const cat = withCatalog ? await benchAnalyzer({ reader, catalog: true }) : null;
let right = 0, rightCat = 0, alarms = 0, statusAlarms = 0;
for (const l of labels) {
  const file = join(dir, l.file);
  if (flag('--marks')) process.stderr.write(`FRAME ${file} label=${JSON.stringify(l.alarm ?? null)}\n`);
  const frame = await decodeImageFile(file);
  const a = await plain.analyze(frame);
  const b = cat ? await cat.analyze(frame) : null;
  const okA = readRight(l, a.alarmCodes), okB = b ? readRight(l, b.alarmCodes) : true;
  if (flag('--marks')) process.stderr.write(`RESULT ${okA ? 'ok' : 'BAD'} ${l.file} read=${JSON.stringify(a.alarmCodes)}\n`);
  if (l.alarm) { alarms++; if (okA) right++; if (okB) rightCat++; } else if (a.alarmCodes.length) statusAlarms++;
  if (missesOnly && okA && okB) continue;
  let boxes = '';
  if (flag('--boxes')) {
    const img = frameToRgb(frame);
    boxes = '\n  boxes ' + (await reader.lineBoxes(img)).boxes.map((x) => {
      const d = dotMatrixLine(cropTextBox(img, x));
      return `${boxLabel(x)} dm=${d ? `${d.score.toFixed(2)}/p${d.pitch.toFixed(1)}` : '-'}`;
    }).join(' ');
  }
  const lines = (a.detail.ocr as Array<Record<string, unknown>>).map((o) => lineSummary(o, flag('--boxes')));
  process.stdout.write(`${okA ? 'ok ' : 'BAD'} ${b ? (okB ? 'ok ' : 'BAD') : ''}${l.file} ${l.display} ${l.font} [${l.effects.join(',')}] "${l.text}" → [${a.alarmCodes.join(', ')}]`
    + `${b ? ` cat [${b.alarmCodes.join(', ')}]` : ''}${boxes}\n     ${lines.join('\n     ')}\n`);
}
process.stdout.write(`alarm codes right: ${right}/${alarms}${cat ? ` (catalog ${rightCat}/${alarms})` : ''}; status frames with an alarm: ${statusAlarms}/${labels.length - alarms}\n`);
await reader.close();
