// The analyzers' set-up from what the user configured: a named baseline folder
// without a baseline.json is bad input (exit 2), named and explained.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BaselineMissingError } from '../../src/baseline/types.js';
import { inspectBaseline } from '../../src/pipeline/analyzers.js';
import { BadInputError } from '../../src/system/errors.js';
import { tempDir } from '../helpers/tmp.js';

describe('inspectBaseline', () => {
  it('no baseline configured: neither part', () => {
    assert.deepEqual(inspectBaseline(undefined), { audio: false, vision: false });
  });

  it('a folder without baseline.json is a BadInputError that says how to fit one', () => {
    const dir = join(tempDir('faultsense-nobaseline-'), 'empty');
    assert.throws(() => inspectBaseline(dir), (err: unknown) => {
      assert.ok(err instanceof BaselineMissingError);
      assert.ok(err instanceof BadInputError);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, /no baseline\.json there; fit one with faultsense baseline fit/);
      return true;
    });
  });
});
