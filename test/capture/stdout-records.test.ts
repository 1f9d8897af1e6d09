// StdoutRecords (capture/stdout-records.ts) when a child writes its last frames and exits at once: its
// exit comes before those frames are read, so everything is only there once inputEnded() settles — whole
// records, in order, none cut (a partial record taken at the exit would shift every record after it).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { describe, it } from 'node:test';
import { StdoutRecords } from '../../src/capture/stdout-records.js';
import { getLogger } from '../../src/system/logger.js';

const RECORD = 48 * 1024;
const COUNT = 60;
// Writes COUNT records, record i filled with the byte i, in uneven pieces, then exits without waiting.
const WRITER = `import os,sys
data = b''.join(bytes([i]) * ${RECORD} for i in range(${COUNT}))
pos = 0
step = 7001
while pos < len(data):
    pos += os.write(1, data[pos:pos + step])
os._exit(0)`;

describe("StdoutRecords at the end of a child's output", () => {
  for (const reader of ['stream', 'auto'] as const) {
    it(`${reader} reader: every record written before the exit is handed on whole once inputEnded() settles`, async () => {
      const got: number[] = [];
      const cut: number[] = [];
      const records = new StdoutRecords({
        recordBytes: RECORD, name: 'test', log: getLogger('test'), reader,
        onRecord: (b) => { got.push(b[0]!); if (!b.every((v) => v === b[0])) cut.push(got.length - 1); },
      });
      const fd = records.stdoutFor();
      const proc = spawn('python3', ['-c', WRITER], { stdio: ['ignore', fd ?? 'pipe', 'inherit'] });
      if (fd !== undefined) closeSync(fd);
      records.attach(proc);
      await new Promise((ok) => proc.once('exit', ok));
      await records.inputEnded();
      assert.deepEqual(cut, [], "no record mixes two of the child's records");
      assert.deepEqual(got, Array.from({ length: COUNT }, (_, i) => i), `all ${COUNT} records, in order (${records.kind})`);
      await records.close();
    });
  }
});
