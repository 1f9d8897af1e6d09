// One line of text as the panel reader reports it. A module of its own so that the reader's helpers
// (cut-line-ends.ts and the like) can name the type without importing the reader itself.
import type { Box } from '../image.js';
import type { LineReading } from './line-grammar.js';
import type { LineView } from './view-choice.js';

export interface OcrLine {
  text: string;
  confidence: number;
  /** Axis-aligned bounds in the coordinates of the image given to read(). */
  box: Box;
  /** Which view of the crop gave the reading (view-choice.ts). */
  view: LineView;
  /** The recogniser's raw output when clean-up, a grammar or vocabulary snapping changed it. */
  raw?: string;
  /** What the line is under the grammar (alarm, status, text), when a grammar was given. */
  reading?: LineReading;
  /** How much the crop looks like a segment display, 0..1. */
  segment?: number;
  /** True when the reading was reused from an unchanged crop (no recognition ran). */
  reused?: boolean;
  /** What the segment reader saw cell by cell, when it decided the reading (segment displays). */
  cells?: string;
  /** The display the cells were read as, seven or fourteen segments, where they decided the reading. */
  cellsKind?: 7 | 14;
  /** The letters clear segment cells spell on a letters-only line the recogniser's reading kept (line-arbitration.ts). */
  cellLetters?: { text: string; confidence: number };
  /** How clearly the line is a dot-matrix display (dot-matrix.ts), when it is one: the segment reader stays out. */
  dotMatrix?: number;
  /**
   * Another view of the line read another code, neither clearly better than the line's own (view-codes.ts), or the
   * line's own cells refute the code the recogniser read (refuted-code.ts): no code is reported from the line. That
   * code.
   */
  codeInDoubt?: string;
  /**
   * 'strokes' when the line was found from its stroke geometry, not by the text detector; 'second-look' when the
   * detector found it on the second look for a display (second-look.ts); 'fine-strokes' when the last look's finer
   * stroke search found it (display-search.ts).
   */
  found?: 'strokes' | 'second-look' | 'fine-strokes';
}
