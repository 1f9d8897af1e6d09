// faultsense(1) is written from the commander definitions the CLI runs: every
// command and every option of every command is in it, and groff renders it
// without warnings (what lintian checks in the package).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { fullProgram } from '../../src/cli/main.js';
import { manPage } from '../../src/cli/man-page.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

function* all(cmd: Command): Generator<Command> {
  for (const c of cmd.commands) { yield c; yield* all(c); }
}

describe('faultsense(1)', () => {
  it('lists every command and option the CLI defines, and renders without groff warnings', async (t) => {
    const program = await fullProgram();
    const page = manPage(program, { version: '9.9.9', date: '2026-01-02' });
    assert.match(page, /^\.TH FAULTSENSE 1 "2026-01-02" "faultsense 9\.9\.9" "User Commands"$/m);
    // What the page says, with roff's escaped hyphens turned back.
    const text = page.replace(/\\-/g, '-');
    const commands = [...all(program)];
    assert.ok(commands.length >= 12, `only ${commands.length} commands`);
    for (const c of commands) {
      const path: string[] = [];
      for (let x: Command | null = c; x; x = x.parent) path.unshift(x.name());
      assert.match(text, new RegExp(`^\\.B ${path.join(' ')}( |$)`, 'm'), `faultsense(1) lacks ${path.join(' ')}`);
      for (const o of c.options) assert.ok(text.includes(`.B ${o.flags}`), `faultsense(1) lacks ${path.join(' ')} ${o.flags}`);
    }
    for (const o of ['--non-interactive', '--mqtt-password-file', '--dry-run']) assert.ok(text.includes(o), o);
    assert.doesNotMatch(page, /^[.'](?![A-Z]{1,2}\b|\\")/m, 'a text line starting with a dot would be read as a request');

    if (!requireProgram(t, 'man', 'apt-get install -y man-db')) return;
    const file = join(tempDir('faultsense-man-'), 'faultsense.1');
    writeFileSync(file, page);
    const r = spawnSync('man', ['--warnings', '-E', 'UTF-8', '-l', '-Tutf8', '-Z', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', LC_ALL: 'C.UTF-8' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', `groff warnings:\n${r.stderr}`);
  });
});
