// `faultsense analyze-video` on a generated video whose panel switches from a
// status line (RUN 1450) to an alarm code (E-317): the alarm is placed within
// one second of its first frame, the status line is never listed as an alarm
// (it is a reading), and the catalogued fault is diagnosed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { availableFonts, renderFrame, type GenerateOptions } from '../../scripts/gen-panels.js';
import { seededRandom } from '../../src/inference/selftest.js';
import type { TimelineEntry, TimelineSummary } from '../../src/offload/timeline.js';
import type { Diagnosis } from '../../src/types.js';
import { runCliSync } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { tempDir } from '../helpers/tmp.js';

const STATUS_SEC = 4, ALARM_SEC = 4;

test('analyze-video: a panel switching from RUN 1450 to E-317 — alarm within 1 s of its first frame, no status as alarm', { timeout: 240_000 }, async (t) => {
  if (!requireProgram(t, 'ffmpeg')) return;
  const dir = tempDir('panel-video');
  const parts = join(dir, 'parts');
  mkdirSync(parts, { recursive: true });
  const fonts = availableFonts();
  const base: GenerateOptions = { outDir: dir, count: 1, clean: true, sizes: [[800, 450]] };
  // The same seed draws the same scene, font and position; only the display's text differs.
  const status = await renderFrame(0, seededRandom(11 * 100003), { ...base, texts: [{ text: 'RUN 1450', kind: 'status', display: 'seven-segment' }] }, fonts, parts);
  const alarm = await renderFrame(1, seededRandom(11 * 100003), { ...base, texts: [{ text: 'E-317', kind: 'alarm', display: 'seven-segment' }] }, fonts, parts);
  const video = join(dir, 'panel.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-framerate', '5', '-t', String(STATUS_SEC), '-i', join(dir, status.file),
    '-loop', '1', '-framerate', '5', '-t', String(ALARM_SEC), '-i', join(dir, alarm.file),
    '-filter_complex', '[0:v][1:v]concat=n=2:v=1,format=yuv420p[v]', '-map', '[v]', '-r', '5', '-c:v', 'libx264', video]);
  const catalog = join(dir, 'faults.yaml');
  writeFileSync(catalog, ['faults:', '  - id: spindle-overtemp', '    title: Spindle over temperature', '    severity: critical',
    '    signals:', '      alarmCodes: ["E-317"]', '    repair: ["Stop the spindle and let it cool"]'].join('\n') + '\n');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `deviceId: panel-video\nstateDir: ${join(dir, 'state')}\n`);

  for (const faults of [[], ['--faults', catalog]]) {
    const r = runCliSync(['analyze-video', video, '-c', config, '--offload', 'never', '--sample-fps', '2', '--no-progress', '--json', ...faults], { timeoutMs: 180_000 });
    assert.equal(r.status, 0, `analyze-video failed: ${r.stderr.slice(-2000)}`);
    const doc = JSON.parse(r.stdout) as { timeline: TimelineEntry[]; summary?: TimelineSummary; diagnosis: Diagnosis };
    const codes = doc.timeline.filter((e): e is Extract<TimelineEntry, { kind: 'alarm-code' }> => e.kind === 'alarm-code');
    const appeared = codes.filter((e) => e.change === 'appeared');
    assert.deepEqual(appeared.map((e) => e.code), ['E-317'], `alarm codes in the timeline (${faults.length ? 'catalog' : 'no catalog'}): ${JSON.stringify(codes)}`);
    assert.ok(appeared[0]!.t >= STATUS_SEC - 0.01 && appeared[0]!.t <= STATUS_SEC + 1, `E-317 appeared at ${appeared[0]!.t} s, shown from ${STATUS_SEC} s`);
    assert.ok(!codes.some((e) => e.change === 'cleared'), 'the alarm stays until the end');
    const listed = doc.diagnosis.modalities.vision?.alarmCodes ?? [];
    assert.deepEqual(listed, ['E-317'], 'the diagnosis lists the alarm and no status line');
    assert.ok(!JSON.stringify(listed).includes('1450'));
    // The seven-segment "rUn 1450" of this scene is read as "240 1450": free text, neither alarm nor reading.
    assert.ok(!(doc.diagnosis.modalities.vision?.readings ?? []).some((x) => x.value.includes('317')), 'the alarm is not a reading');
    if (faults.length) assert.equal(doc.diagnosis.faults[0]?.id, 'spindle-overtemp', JSON.stringify(doc.diagnosis.faults));
  }
});
