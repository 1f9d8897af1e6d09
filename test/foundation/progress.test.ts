// One progress reporter for every long operation: a bar on a terminal, plain
// lines elsewhere, JSON events under --json. The stream here collects what is
// written; `isTTY` stands in for a terminal.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { ProgressReporter } from '../../src/system/progress.js';

function sink(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  let out = '';
  const w = new Writable({ write(chunk: Buffer, _enc, cb) { out += chunk.toString(); cb(); } });
  return Object.assign(w, { isTTY, columns: 100, text: () => out });
}

describe('ProgressReporter', () => {
  it('on a terminal: a bar redrawn in place, cleared at the end, the summary after it', () => {
    const s = sink(true);
    const p = new ProgressReporter({ task: 'baseline fit', unit: 'frames', stream: s });
    assert.equal(p.style, 'bar');
    p.update(0, 4, 'audio');
    p.update(4, 4, 'audio');
    p.end('fitted');
    const text = s.text();
    assert.match(text, /^\r\[-{30}\] 0\/4 frames {3}0% {2}audio\x1b\[K/);
    assert.match(text, /\r\[#{30}\] 4\/4 frames 100% {2}audio\x1b\[K/);
    assert.match(text, /\r\x1b\[2Kfitted\n$/);
    assert.doesNotMatch(text, /\n.*\n/, 'no line feeds before the summary');
  });

  it('off a terminal: plain lines, a new one for each change once the interval passed, the last at once', () => {
    const s = sink(false);
    const p = new ProgressReporter({ task: 'models verify', unit: 'models', stream: s, lineIntervalMs: 60_000 });
    assert.equal(p.style, 'lines');
    p.update(0, 3, 'a');
    p.update(1, 3, 'b'); // inside the interval: left out
    p.update(3, 3, 'done'); // the last step: always said
    p.end('3 verified');
    assert.deepEqual(s.text().trim().split('\n'), [
      'models verify: 0/3 models (0%)  a',
      'models verify: 3/3 models (100%)  done',
      'models verify: 3 verified',
    ]);
  });

  it('under --json: one JSON event per line, even on a terminal', () => {
    const s = sink(true);
    const p = new ProgressReporter({ task: 'analyze-video', unit: 'segments', json: true, stream: s, lineIntervalMs: 0 });
    assert.equal(p.style, 'json');
    p.update(1, 2, 'edge-a:1');
    p.update(2, 2);
    p.end('2 segments');
    const events = s.text().trim().split('\n').map((l) => JSON.parse(l) as { progress: Record<string, unknown> });
    assert.deepEqual(events.map((e) => e.progress), [
      { task: 'analyze-video', done: 1, total: 2, unit: 'segments', label: 'edge-a:1' },
      { task: 'analyze-video', done: 2, total: 2, unit: 'segments' },
      { task: 'analyze-video', done: 2, total: 2, unit: 'segments', summary: '2 segments' },
    ]);
  });

  it('update works as a detached callback (fit progress)', () => {
    const s = sink(false);
    const { update } = new ProgressReporter({ task: 't', stream: s });
    update(1, 1);
    assert.equal(s.text(), 't: 1/1 steps (100%)\n');
  });
});
