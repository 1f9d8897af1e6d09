// A map from whole-number keys to values, in the order they were first set, cleared and filled again many times:
// the constrained decoder's candidate prefixes of one step (constrained-ctc.ts). A Map cleared at every step gives
// its table back and grows a new one through every size at the next (a few hundred candidates a step, a hundred
// steps a line, dozens of lines a frame); this keeps its arrays from step to step and clears by a generation stamp.
// Iteration is by position (0..size-1), in first-set order, as a Map's.

export class NumberTable<T> {
  private keys = new Float64Array(256);
  private slots = new Int32Array(256);
  private stamps = new Float64Array(256);
  private generation = 1;
  /** 32 less log2 of the capacity: a key's slot is the top bits of its multiplicative hash. */
  private shift = 24;
  private values: T[] = [];
  /** Entries since the last clear(). */
  size = 0;

  /** Empties the table (its arrays are kept). */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.values[i] = undefined as T;
    this.size = 0;
    this.generation++;
  }

  /** The value at position i (0..size-1), in first-set order. */
  at(i: number): T {
    return this.values[i]!;
  }

  get(key: number): T | undefined {
    const i = this.find(key);
    return this.stamps[i] === this.generation ? this.values[this.slots[i]!] : undefined;
  }

  /** Sets a key that is not in the table (get() said undefined). */
  add(key: number, value: T): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    const i = this.find(key);
    this.keys[i] = key;
    this.stamps[i] = this.generation;
    this.slots[i] = this.size;
    this.values[this.size++] = value;
  }

  /** The slot of `key`, or the free slot where it would go (linear probing; the table is at most half full). */
  private find(key: number): number {
    const mask = this.keys.length - 1;
    let i = Math.imul((key | 0) ^ ((key / 4294967296) | 0), 0x9e3779b1) >>> this.shift;
    while (this.stamps[i] === this.generation && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { keys, stamps, slots, generation } = this;
    const cap = 2 * keys.length;
    this.shift--;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap);
    this.stamps = new Float64Array(cap);
    for (let j = 0; j < keys.length; j++) {
      if (stamps[j] !== generation) continue;
      const i = this.find(keys[j]!);
      this.keys[i] = keys[j]!;
      this.stamps[i] = generation;
      this.slots[i] = slots[j]!;
    }
  }
}
