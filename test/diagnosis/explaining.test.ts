// Explaining away, differential signatures, exclusions, translations and the
// catalog keys behind them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/load.js';
import { loadFaultCatalog, parseFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import type { AudioFindings, AudioSignature, VisionFindings } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

const catalog = loadFaultCatalog(join(REPO_ROOT, 'config', 'faults.example.yaml'));
const diagnoser = new Diagnoser(catalog, { deviceId: 'cnc-3' });

const vision = (over: Partial<VisionFindings> = {}): VisionFindings => ({ quality: 0.9, anomalyScore: 0.4, text: [], alarmCodes: [], ...over });
const NO_SIGNATURE: AudioSignature = {
  impulseCount: 0, impulseRateHz: null, impulseRegularity: null, impulseBandHz: null, tonalHz: null, driftPercent: null, hissRiseDb: null, hissBandHz: null,
};
const knock = (over: Partial<AudioFindings> = {}, rateHz = 7): AudioFindings => ({
  quality: 0.9, anomalyScore: 4, speech: 0,
  events: [{ type: 'impulse', t: 0.1, band: [2400, 4200], strength: 15, rateHz }],
  signature: { ...NO_SIGNATURE, impulseCount: 7, impulseRateHz: rateHz, impulseRegularity: 1, impulseBandHz: [2400, 4200] },
  ...over,
});

test('a knock without the alarm raises the best audio match only; the others lose to it with a reason', () => {
  const d = diagnoser.diagnose({ vision: vision(), audio: knock() });
  assert.deepEqual(d.faults.map((f) => f.id), ['spindle-bearing-overheat']);
  const f = d.faults[0]!;
  assert.ok(f.confidence >= 0.5, `raised: ${f.confidence}`);
  for (const m of ['audio:impulse', 'audio:impulse-rate=7Hz', 'audio:band=3175Hz']) assert.ok(f.matched.includes(m), `${m} in ${f.matched}`);
  const pump = d.candidates!.find((c) => c.id === 'coolant-pump-cavitation')!;
  assert.equal(pump.because, 'explained');
  assert.equal(pump.by, 'spindle-bearing-overheat');
  assert.deepEqual(pump.missing, ['audio:hiss-rise'], 'cavitation would hiss');
  assert.ok(pump.alone < f.confidence && pump.confidence < pump.alone);
  assert.ok(!d.faults.some((x) => x.id === 'unknown-anomaly'), 'a sound the catalog recognises is not "unrecognised"');
  assert.match(d.summary, /^Spindle bearing overheat \(\d+%\): unusual sound \(score 4\), impulse sound, impulses repeating at 7 Hz, sound energy near 3\.2 kHz\. Not raised: Coolant pump cavitation \(\d+%, explained by Spindle bearing overheat\)/);
});

test('the same sound with a hiss and no periodic knock is cavitation, not the bearing', () => {
  const hiss: AudioFindings = {
    quality: 0.9, anomalyScore: 3, speech: 0,
    events: [{ type: 'noise-rise', t: 0, band: [2900, 8000], strength: 10 }],
    signature: { ...NO_SIGNATURE, hissRiseDb: 10, hissBandHz: [2900, 8000] },
  };
  const d = diagnoser.diagnose({ audio: hiss });
  assert.deepEqual(d.faults.filter((f) => f.confidence >= 0.5).map((f) => f.id), ['coolant-pump-cavitation']);
  assert.ok(d.faults[0]!.matched.includes('audio:hiss-rise=10dB'));
  // Impulses without a rate (random crackle) do not make a bearing.
  const crackle = diagnoser.diagnose({ audio: knock({ signature: { ...NO_SIGNATURE, impulseCount: 20, impulseRegularity: 0.2 } }) });
  const bearing = [...crackle.faults, ...(crackle.candidates ?? [])].find((f) => f.id === 'spindle-bearing-overheat');
  assert.ok(!bearing || bearing.confidence < 0.5, JSON.stringify(bearing));
});

test('an alarm code explains the display and the sounds its fault lists: exactly one fault raised', () => {
  const d = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'], text: ['ALARM', 'E-042'], anomalyScore: 40 }), audio: knock() });
  assert.deepEqual(d.faults.map((f) => f.id), ['spindle-bearing-overheat']);
  assert.equal(d.severity, 'critical');
  assert.ok(d.candidates!.every((c) => c.because === 'explained' && c.by === 'spindle-bearing-overheat'), JSON.stringify(d.candidates));
  assert.ok(d.candidates!.some((c) => c.id === 'coolant-pump-cavitation'));
  for (const c of d.candidates!) assert.ok(d.faults[0]!.matched.includes(`explains:${c.id}`));
});

test('exclusions: a fault the catalog rules out beside a raised one stays a candidate, named with what excluded it', () => {
  // The door is open (E-201): the spindle cannot be overloaded, whatever the sound says.
  const overloadSound: AudioFindings = {
    quality: 0.9, anomalyScore: 3, speech: 0,
    events: [{ type: 'level-step', t: 0.3, band: [0, 8000], strength: 9 }, { type: 'noise-rise', t: 0, band: [300, 700], strength: 8 }],
    signature: NO_SIGNATURE,
  };
  const alone = diagnoser.diagnose({ audio: overloadSound });
  assert.equal(alone.faults[0]?.id, 'spindle-overload');
  assert.ok(alone.faults[0]!.confidence >= 0.5, JSON.stringify(alone.faults));
  const d = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-201'] }), audio: overloadSound });
  assert.ok(d.faults.some((f) => f.id === 'door-interlock-open'), JSON.stringify(d.faults));
  assert.ok(!d.faults.some((f) => f.id === 'spindle-overload'));
  const c = d.candidates!.find((x) => x.id === 'spindle-overload')!;
  assert.equal(c.because, 'excluded');
  assert.equal(c.by, 'door-interlock-open');
  assert.match(d.summary, /Spindle motor overload \(\d+%, excluded by Safety door interlock open\)/);

  // By alarm code: written as the display shows it.
  const byCode = new Diagnoser(parseFaultCatalog({ faults: [
    { id: 'a', title: 'A', signals: { keywords: ['x'], audio: { anomalyAbove: 1.2, events: ['impulse'], impulseRateHz: [3, 40] } }, excludes: ['E-9'] },
    { id: 'b', title: 'B', signals: { alarmCodes: ['E-1'] } },
  ] }), { deviceId: 't' });
  const ruled = byCode.diagnose({ vision: vision({ alarmCodes: ['E-9'] }), audio: knock() });
  assert.equal(ruled.candidates?.[0]?.because, 'excluded');
  assert.equal(ruled.candidates?.[0]?.by, 'alarm:E-9');
  assert.match(ruled.summary, /A \(\d+%, excluded by alarm E-9 read on the display\)/);
});

test('a Chinese question is answered in Chinese, with the catalog\'s Chinese title and repair steps', () => {
  const d = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }), audio: knock(), question: '这是什么声音？' });
  assert.equal(d.lang, 'zh');
  assert.equal(d.faults[0]!.title, '主轴轴承过热');
  assert.match(d.faults[0]!.repair[0]!, /停止主轴/);
  assert.match(d.summary, /^主轴轴承过热 \(\d+%\)：显示屏读到报警 E-042/);
  assert.doesNotMatch(d.summary, /[a-z]{4,}/, `no English words: ${d.summary}`);
  const en = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }), audio: knock(), question: 'what is that noise?' });
  assert.equal(en.lang, 'en');
  assert.equal(en.faults[0]!.title, 'Spindle bearing overheat');
});

test('a modality without a score is "not assessed", never normal; codes read but not catalogued are said as such', () => {
  const d = diagnoser.diagnose({
    vision: vision({ alarmCodes: ['E-777'] }),
    audio: { quality: 0.9, anomalyScore: null, events: [], speech: 0, detail: { baseline: false } },
  });
  assert.equal(d.faults.length, 0);
  assert.equal(d.summary, 'No fault found: vision within normal range (score 0.4); audio not assessed (no audio baseline). Code E-777 read but not in the catalog.');
  const marked = diagnoser.diagnose({ audio: { quality: 0.9, anomalyScore: null, assessed: false, unassessedReason: 'speech', events: [], speech: 0.8 } });
  assert.equal(marked.summary, 'No fault found: audio not assessed (speech).');
  const zh = diagnoser.diagnose({ audio: { quality: 0.9, anomalyScore: null, events: [], speech: 0, detail: { baseline: false } }, question: '机器正常吗？' });
  assert.equal(zh.summary, '未发现故障：声音 未评估（没有声音基线）。');
});

test('the catalog validates the new keys and names what is wrong', () => {
  const ok = { id: 'a', title: 'A', signals: { keywords: ['x'] } };
  const bad = (tree: unknown, pattern: RegExp) => assert.throws(() => parseFaultCatalog(tree, 'faults.yaml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, pattern);
    return true;
  });
  bad({ faults: [{ ...ok, signals: { audio: { impulseRateHz: [40, 3] } } }] }, /faults\[0\]\.signals\.audio\.impulseRateHz: expected \[low, high\] in Hz with low < high/);
  bad({ faults: [{ ...ok, signals: { audio: { band: [2000] } } }] }, /faults\[0\]\.signals\.audio\.band/);
  bad({ faults: [{ ...ok, signals: { audio: { impulseOrder: [1, 3] } } }] }, /impulseOrder: needs shaftHz at the top of the catalog/);
  bad({ faults: [{ ...ok, excludes: ['no-such-fault'] }] }, /faults\[0\]\.excludes\[0\]: "no-such-fault" is no fault id of this catalog/);
  bad({ faults: [{ ...ok, excludes: ['a'] }] }, /faults\[0\]\.excludes\[0\]: a fault cannot exclude itself/);
  bad({ faults: [{ ...ok, translations: { chinese: { title: 'x' } } }] }, /faults\[0\]\.translations/);
  bad({ faults: [{ ...ok, signals: { audio: { specific: ['bang'] } } }] }, /faults\[0\]\.signals\.audio\.specific\[0\]/);

  // Impulse rate as orders of the shaft rate.
  const orders = parseFaultCatalog({ shaftHz: 25, faults: [
    { id: 'outer-race', title: 'Outer race defect', signals: { audio: { anomalyAbove: 1.2, events: ['impulse'], impulseOrder: [3, 4] } } },
    { id: 'loose', title: 'Loose part', signals: { audio: { anomalyAbove: 1.2, events: ['impulse'], impulseOrder: [0.5, 1.5] } } },
  ] });
  const d = new Diagnoser(orders, { deviceId: 't' }).diagnose({ audio: knock({}, 87.5) });
  assert.deepEqual(d.faults.filter((f) => f.confidence >= 0.5).map((f) => f.id), ['outer-race']);
  assert.ok(d.faults[0]!.matched.includes('audio:impulse-order=3.5x'), d.faults[0]!.matched.join());
  assert.match(d.summary, /impulses at 3\.5× shaft rate/);
});
