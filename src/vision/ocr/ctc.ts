// The recogniser's character dictionary (PP-OCR: index 0 is the CTC blank,
// then one entry per line of the key file, then a space when the model was
// trained with spaces) and the decoded line's shape. The greedy reading of a
// lattice is lattice-scan.ts greedyReading.
import { readFile } from 'node:fs/promises';

export interface DecodedLine {
  text: string;
  /** Mean probability of the characters kept (0 when nothing was read). */
  confidence: number;
}

export class CharacterDictionary {
  private constructor(readonly chars: readonly string[]) {}

  /** Builds the class table from key-file lines; `classes` is the model's output size, used to decide on the space. */
  static fromKeys(keys: string[], classes?: number): CharacterDictionary {
    const table = ['', ...keys];
    if (classes === undefined || classes === table.length + 1) table.push(' ');
    if (classes !== undefined && classes !== table.length) {
      throw new Error(`the recognition model has ${classes} classes but the dictionary gives ${table.length}; use the key file that came with the model`);
    }
    return new CharacterDictionary(table);
  }

  static async load(path: string, classes?: number): Promise<CharacterDictionary> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read OCR dictionary ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    const keys = text.split('\n').map((l) => l.replace(/\r$/, ''));
    if (keys.length && keys[keys.length - 1] === '') keys.pop();
    return CharacterDictionary.fromKeys(keys, classes);
  }

  get size(): number {
    return this.chars.length;
  }

  private index?: Map<string, number>;
  private ascii?: number[];

  /** Class index of a character (-1 when the model cannot emit it; 0 is the blank). */
  indexOf(c: string): number {
    if (!this.index) {
      this.index = new Map();
      this.chars.forEach((ch, i) => { if (i > 0 && !this.index!.has(ch)) this.index!.set(ch, i); });
    }
    return this.index.get(c) ?? -1;
  }

  /** Classes of printable ASCII characters (what display grammars are written in). */
  asciiClasses(): readonly number[] {
    if (!this.ascii) this.ascii = this.chars.flatMap((ch, i) => (i > 0 && ch.length === 1 && ch >= '!' && ch <= '~' ? [i] : []));
    return this.ascii;
  }
}
