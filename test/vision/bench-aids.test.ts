// The OCR development aids under bench/ (one set loader, bench/_set.ts; one per-frame entry, bench/_ocr-debug.ts; one
// set generator, bench/_gen-sets.ts): every bench/_*.ts a test, a doc, a script or a bench cites still exists (tests
// cite the aid that made their frames), a set is scored by the bench's own rule, and the entries list their subcommands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { filterArgs, readLabels, readRight } from '../../bench/_set.js';
import { REPO_ROOT } from '../helpers/cli.js';

const walk = (d: string): string[] => readdirSync(d).flatMap((n) => {
  if (n === 'node_modules' || n === 'fixtures' || n.startsWith('.')) return [];
  const p = join(d, n);
  return statSync(p).isDirectory() ? walk(p) : /\.(m?ts|md|sh)$/.test(n) ? [p] : [];
});

describe('bench development aids', () => {
  it('every bench/_*.ts cited in src, test, docs, scripts or bench exists', () => {
    const missing: string[] = [];
    for (const file of ['src', 'test', 'docs', 'scripts', 'bench'].flatMap((d) => walk(join(REPO_ROOT, d)))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/bench\/(_[\w-]+\.m?ts)/g)) {
        if (!existsSync(join(REPO_ROOT, 'bench', m[1]!))) missing.push(`${file.slice(REPO_ROOT.length + 1)}: ${m[0]}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('a set is filtered and scored as bench/ocr.ts scores it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultsense-set-'));
    const label = (file: string, display: string, alarm: string | null): string => JSON.stringify({ file, display, alarm, text: alarm ?? 'RUN 50' });
    writeFileSync(join(dir, 'labels.jsonl'), [label('0000-a.png', 'dot-matrix', 'E-101'), label('0001-b.jpg', 'seven-segment', null),
      label('0002-c.png', 'seven-segment', 'AL 203'), label('0012-d.png', 'dot-matrix', null)].join('\n') + '\n');
    assert.deepEqual(readLabels(dir).map((l) => l.file), ['0000-a.png', '0001-b.jpg', '0002-c.png', '0012-d.png']);
    assert.deepEqual(readLabels(dir, { from: 1, count: 2 }).map((l) => l.file), ['0001-b.jpg', '0002-c.png']);
    assert.deepEqual(readLabels(dir, filterArgs(['--only=0012,0000'])).map((l) => l.file), ['0000-a.png', '0012-d.png']);
    assert.deepEqual(readLabels(dir, filterArgs(['--display=seven-segment', '--alarms'])).map((l) => l.file), ['0002-c.png']);
    assert.deepEqual(readLabels(dir, filterArgs(['--statuses'])).map((l) => l.file), ['0001-b.jpg', '0012-d.png']);
    assert.deepEqual(readLabels(join(dir, 'none')), []);
    const [alarm, status] = readLabels(dir, { from: 2, count: 1 }).concat(readLabels(dir, { from: 1, count: 1 }));
    assert.equal(readRight(alarm!, ['al203']), true, 'spaces and case do not count');
    assert.equal(readRight(alarm!, ['AL203', 'E-101']), false, 'a second code is a miss');
    assert.equal(readRight(alarm!, []), false);
    assert.equal(readRight(status!, []), true);
    assert.equal(readRight(status!, ['RUN50']), false, 'a status frame reporting an alarm is a miss');
  });

  it('the per-frame and generator entries list their subcommands and refuse an unknown one', () => {
    for (const [entry, names] of [['_ocr-debug.ts', ['lines', 'read', 'views', 'cells', 'lit', 'lit-png', 'rom', 'box', 'past', 'wide', 'save']],
      ['_gen-sets.ts', ['drawn', 'font', 'statuses', 'named-statuses', 'letter-codes', 'wide-segments', 'dashed']]] as const) {
      const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench', entry), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
      const list = run([]);
      assert.equal(list.status, 0, list.stderr);
      for (const n of names) assert.match(list.stderr, new RegExp(`^  ${n} `, 'm'), `${entry} lists ${n}`);
      assert.equal(run(['no-such-command']).status, 1);
    }
  });
});
