import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/load.js';
import { diagnosisSchema } from '../../src/config/sections/diagnosis.js';
import { catalogFromConfig, emptyCatalog, findAlarmCodes, isStatusLine, loadFaultCatalog, parseAlarmPattern, parseFaultCatalog } from '../../src/diagnosis/catalog.js';
import { Diagnoser } from '../../src/diagnosis/diagnoser.js';
import { KeywordIndex, tokenize } from '../../src/diagnosis/keywords.js';
import type { AudioFindings, VisionFindings } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const catalog = loadFaultCatalog(join(import.meta.dirname, '../../config/faults.example.yaml'));
const diagnoser = new Diagnoser(catalog, { deviceId: 'cnc-3' });

const vision = (over: Partial<VisionFindings> = {}): VisionFindings => ({ quality: 0.9, anomalyScore: 0.4, text: [], alarmCodes: [], ...over });
const audio = (over: Partial<AudioFindings> = {}): AudioFindings => ({ quality: 0.9, anomalyScore: 0.5, events: [], speech: 0, ...over });

test('the example catalog loads and every fault has repair steps', () => {
  assert.equal(catalog.faults.length, 6);
  for (const f of catalog.faults) assert.ok(f.repair.length > 0, f.id);
});

test('a literal alarm code read by OCR matches its fault strongly (also with an O-for-0 OCR slip)', () => {
  const d = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }) });
  assert.equal(d.faults[0]!.id, 'spindle-bearing-overheat');
  assert.ok(d.faults[0]!.matched.includes('alarm:E-042'));
  assert.ok(d.faults[0]!.confidence >= 0.9, `confidence ${d.faults[0]!.confidence}`);
  assert.equal(d.severity, 'critical');
  assert.match(d.summary, /Spindle bearing overheat .*alarm E-042/);

  const slip = diagnoser.diagnose({ vision: vision({ text: ['ALARM E-O42 SPINDLE'] }) });
  assert.equal(slip.faults[0]!.id, 'spindle-bearing-overheat');
  // E-0420 is another code: a literal must stand alone in the text.
  const other = diagnoser.diagnose({ vision: vision({ text: ['E-0420'] }) });
  assert.ok(!other.faults.some((f) => f.matched.includes('alarm:E-042')));
});

test('regex alarm codes match their family only', () => {
  const d = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-044'] }) });
  assert.equal(d.faults[0]!.id, 'spindle-overload');
  assert.ok(d.faults[0]!.matched.includes('alarm:E-044'));
  const ci = diagnoser.diagnose({ vision: vision({ text: ['sp-ovl2'] }) });
  assert.equal(ci.faults[0]!.id, 'spindle-overload', 'the /i flag is honoured');
  const pump = diagnoser.diagnose({ vision: vision({ text: ['AL-231 COOLANT'] }) });
  assert.equal(pump.faults[0]!.id, 'coolant-pump-cavitation');
  const none = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-046'] }) });
  assert.equal(none.faults.length, 0, JSON.stringify(none.faults));
  assert.equal(none.severity, 'ok');
});

test('a status or parameter line is never an alarm code, even when a catalog pattern would match it', () => {
  for (const l of ['RUN 1450', 'SPEED 2979', 'TEMP 72C', 'TEMP: 72 C', 'MODE AUTO', 'SET 493', 'READY', 'PRES 4.5']) assert.ok(isStatusLine(l), l);
  for (const l of ['E-317', 'AL 1450', 'RUN E-317', 'ERR 37', 'RUNNING HOT']) assert.ok(!isStatusLine(l), l);
  const loose = parseFaultCatalog({ faults: [{ id: 'speed-fault', title: 'Speed fault', signals: { alarmCodes: ['/[A-Z]+ ?\\d{4}/', 'RUN 1450'] } }] }, 'faults.yaml');
  const [rx, literal] = loose.faults[0]!.alarmCodes;
  assert.deepEqual(findAlarmCodes(rx!, [], ['RUN 1450', 'SPEED 1450']), []);
  assert.deepEqual(findAlarmCodes(literal!, [], ['RUN 1450']), []);
  assert.deepEqual(findAlarmCodes(rx!, [], ['ALM 1450']), ['ALM 1450'], 'a code line is still found');
  // Through the Diagnoser: a RUN line vision read as a status reading raises nothing.
  const d = new Diagnoser(loose, { deviceId: 'cnc-3' }).diagnose({ vision: vision({ text: ['RUN 1450'], readings: [{ name: 'RUN', value: '1450', text: 'RUN 1450' }] }) });
  assert.ok(!d.faults.some((f) => f.id === 'speed-fault'), JSON.stringify(d.faults));
});

test('catalog codes match in any letter case (a display cannot show it) and are reported as the catalog spells them', () => {
  const lower = parseAlarmPattern('/ERR-\\d{2}/');
  assert.deepEqual(findAlarmCodes(lower, ['err-12'], []), ['ERR-12']);
  assert.deepEqual(findAlarmCodes(lower, [], ['Err-12 OVERHEAT']), ['ERR-12']);
  const literal = parseAlarmPattern('Err-5A');
  assert.deepEqual(findAlarmCodes(literal, ['ERR-5a'], []), ['Err-5A'], 'a literal keeps its catalog spelling');
  // A code inside a misread status word is not a code (SET 2087 read as 5EE2087).
  assert.deepEqual(findAlarmCodes(parseAlarmPattern('/E\\d{2,3}/'), [], ['5EE2087']), []);
  assert.deepEqual(findAlarmCodes(parseAlarmPattern('/E\\d{2,3}/'), [], ['ALARM E208']), ['E208']);
});

test('Chinese and English keywords match OCR text and the question; rare words weigh more', () => {
  assert.deepEqual(tokenize('主轴轴承过热'), ['主轴', '轴承', '过', '热']);
  const zh = diagnoser.diagnose({ question: '主轴轴承过热怎么办？' });
  assert.equal(zh.faults[0]!.id, 'spindle-bearing-overheat');
  assert.ok(zh.faults[0]!.matched.includes('keyword:轴承'));
  assert.ok(zh.faults[0]!.matched.includes('keyword:过热'));
  assert.ok(zh.faults[0]!.confidence < 0.5, 'keywords alone stay below the raise level');

  const en = diagnoser.diagnose({ question: 'Why are the bearings getting hot?' });
  assert.equal(en.faults[0]!.id, 'spindle-bearing-overheat');
  assert.ok(en.faults[0]!.matched.includes('keyword:bearing'), 'plural folded to the keyword');

  const ocr = diagnoser.diagnose({ vision: vision({ text: ['冷却液 液位低'] }) });
  assert.equal(ocr.faults[0]!.id, 'coolant-pump-cavitation');

  const idx = new KeywordIndex([
    { id: 'a', keywords: ['motor', 'bearing'] }, { id: 'b', keywords: ['motor'] }, { id: 'c', keywords: ['motor hum'] },
  ]);
  assert.ok(idx.rarity.get('bearing')! > idx.rarity.get('motor')!);
  const rare = idx.match('a', { ocr: [], question: 'motor bearing' });
  assert.ok(rare.find((h) => h.keyword === 'bearing')!.weight > rare.find((h) => h.keyword === 'motor')!.weight);
});

test('an anomaly that matches no fault is reported as unknown-anomaly with its modality and evidence', () => {
  const d = diagnoser.diagnose({
    vision: vision({ anomalyScore: 2.4, anomalyBox: { x: 10, y: 20, width: 30, height: 40 } }),
    audio: audio({ anomalyScore: 0.6 }),
    evidence: { snapshot: 'evidence/snap.jpg' },
  });
  const u = d.faults.find((f) => f.id === 'unknown-anomaly');
  assert.ok(u, JSON.stringify(d.faults));
  assert.ok(u.matched.includes('vision:anomaly=2.4'));
  assert.ok(!u.matched.some((m) => m.startsWith('audio:')));
  const detail = d.evidence.unknownAnomaly as { modalities: string[]; vision: { anomalyBox: unknown } };
  assert.deepEqual(detail.modalities, ['vision']);
  assert.deepEqual(detail.vision.anomalyBox, { x: 10, y: 20, width: 30, height: 40 });
  assert.equal(d.evidence.snapshot, 'evidence/snap.jpg');

  // An audio anomaly explained by a fault's signature is not unknown.
  const known = diagnoser.diagnose({ audio: audio({ anomalyScore: 2, events: [{ type: 'impulse', t: 0.2, band: [2000, 6000], strength: 3 }] }) });
  assert.ok(!known.faults.some((f) => f.id === 'unknown-anomaly'), JSON.stringify(known.faults));
  assert.ok(known.faults[0]!.matched.includes('audio:impulse'));
});

function expectCatalogError(tree: unknown, pattern: RegExp): void {
  assert.throws(() => parseFaultCatalog(tree, 'faults.yaml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.exitCode, 2);
    assert.match(err.message, pattern);
    return true;
  });
}

test('a bad catalog is a ConfigError naming the path of the bad entry', () => {
  const ok = { id: 'a', title: 'A', signals: { keywords: ['x'] } };
  expectCatalogError({ faults: [ok, ok, { id: 'c', title: 'C', signals: { alarmCodes: ['/E-(04/'] } }] },
    /faults\[2\]\.signals\.alarmCodes\[0\]: invalid regex \/E-\(04\//);
  expectCatalogError({ faults: [ok, { ...ok, id: 'a' }] }, /faults\[1\]\.id: duplicate id "a" \(also faults\[0\]\)/);
  expectCatalogError({ faults: [{ ...ok, severity: 'urgent' }] }, /faults\[0\]\.severity: expected one of .*"critical", got "urgent"/);
  expectCatalogError({ faults: [{ ...ok, signals: { audio: { events: ['bang'] } } }] }, /faults\[0\]\.signals\.audio\.events\[0\]/);
  expectCatalogError({ faults: [{ ...ok, signals: {} }] }, /faults\[0\]\.signals: fault "a" has no signal/);
  expectCatalogError({ faults: [{ ...ok, sigals: {} }] }, /faults\[0\]\.sigals: unknown key/);
  expectCatalogError({ faults: [] }, /faults: the catalog lists no faults/);

  const dir = tempDir();
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'faults:\n  - id: a\n    title: [unclosed\n');
  assert.throws(() => loadFaultCatalog(file), (err: unknown) => err instanceof ConfigError && err.message.includes(file));
  assert.throws(() => loadFaultCatalog(join(dir, 'missing.yaml')), (err: unknown) => err instanceof ConfigError && /does not exist/.test(err.message));
});

test('the catalog\'s absence: catalogFromConfig gives the named catalog, or the empty one with a warning', () => {
  const warnings: string[] = [];
  const named = catalogFromConfig(join(import.meta.dirname, '../../config/faults.example.yaml'), (m) => warnings.push(m));
  assert.equal(named.faults.length, 6);
  assert.equal(warnings.length, 0);
  const none = catalogFromConfig(undefined, (m) => warnings.push(m));
  assert.deepEqual(none.faults, []);
  assert.equal(none.unknownAnomaly.title, emptyCatalog().unknownAnomaly.title);
  assert.match(warnings[0]!, /no fault catalog configured \(diagnosis\.faults\): only unknown anomalies/);
  assert.throws(() => catalogFromConfig(join(import.meta.dirname, 'nope.yaml')), ConfigError);
});

test('Diagnoser thresholds left unset are the configuration\'s defaults; an explicit undefined does not erase one', () => {
  const defaults = diagnosisSchema.parse({});
  assert.equal(new Diagnoser(catalog, { deviceId: 'x' }).raiseAbove, defaults.raiseAbove);
  assert.equal(new Diagnoser(catalog, { deviceId: 'x', raiseAbove: undefined }).raiseAbove, defaults.raiseAbove);
  assert.equal(new Diagnoser(catalog, { deviceId: 'x', raiseAbove: 0.7 }).raiseAbove, 0.7);
});

test('a diagnosis is not numbered by the Diagnoser: seq belongs to the outbox', () => {
  const d = diagnoser.diagnose({ vision: vision({ alarmCodes: ['E-042'] }) });
  assert.equal('seq' in d, false);
});
