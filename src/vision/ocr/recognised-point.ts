// A decimal point the recogniser read that the segment cells missed. A segment display's point is a small dot on the
// baseline between two cells; blur, glare or a slant joins it to a neighbour's ink or leaves it too faint for a cell
// of its own (cell-points.ts finds only the clear ones), so cells that decide a line may read a value without it
// (`46.1` read by the recogniser, cells `461`: the status value reported as 461). Where the cells' reading is a
// status and one of its numbers is exactly a number the recogniser read with a point between two digits, less that
// point, the point is the recogniser's: the digits agree, only the dot the cells cannot see differs. Nothing else
// moves, and only a status reading is touched (a code is never made or unmade here).
import type { LineGrammar, LineReading } from './line-grammar.js';

/** Numbers the recogniser read with one point between digits (`46.1`, `0.5`), keyed by their digits alone. */
function pointedNumbers(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(/(?<![\d.])(\d+\.\d+)(?![\d.])/g)) out.set(m[1]!.replace('.', ''), m[1]!);
  return out;
}

/**
 * The cells' status reading with the recogniser's decimal point put back into the number it belongs to, where the
 * grammar still reads the result as a status with as many digits; null where there is nothing to put back.
 */
export function withRecognisedPoint(reading: LineReading, rawText: string, grammar: LineGrammar): LineReading | null {
  if (reading.kind !== 'status' || !rawText.includes('.')) return null;
  const pointed = pointedNumbers(rawText);
  if (!pointed.size) return null;
  let moved = false;
  const text = reading.text.replace(/(?<![\d.])\d+(?![\d.])/g, (n) => {
    const p = pointed.get(n);
    if (!p || moved) return n;
    moved = true;
    return p;
  });
  if (!moved) return null;
  const again = grammar.classifyText(text, reading.confidence);
  if (again.kind !== 'status' || again.text.replace(/\D/g, '') !== reading.text.replace(/\D/g, '')) return null;
  return { ...reading, text: again.text, name: again.name, value: again.value };
}
