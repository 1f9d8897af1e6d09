// The one rule for tests that need a real program: fail under CI, skip loudly elsewhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { haveProgram, inCI, missingPrograms } from '../helpers/programs.js';

describe('required programs in tests', () => {
  it('CI means CI set to anything but empty, 0 or false', () => {
    for (const v of ['true', '1', 'yes', 'TRUE']) assert.equal(inCI({ CI: v }), true, v);
    for (const v of [undefined, '', '0', 'false', 'False']) assert.equal(inCI({ CI: v }), false, String(v));
  });

  it('a program that exists is not missing; one that does not is named (or fails under CI)', () => {
    assert.equal(haveProgram('sh'), true);
    assert.deepEqual(missingPrograms(['sh'], 'this test'), []);
    const name = 'faultsense-no-such-program';
    if (inCI()) assert.throws(() => missingPrograms([name], 'this test'), new RegExp(`${name} not installed.*need it in CI`));
    else assert.deepEqual(missingPrograms([name, 'sh'], 'this test'), [name]);
  });
});
