// A display that changes to show a catalogued alarm code is an anomaly the
// alarm explains; an anomaly elsewhere in the picture is still reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadFaultCatalog } from '../../src/diagnosis/catalog.js';
import { anomalyOnDisplayText, Diagnoser } from '../../src/diagnosis/diagnoser.js';
import type { VisionFindings } from '../../src/types.js';
import { REPO_ROOT } from '../helpers/cli.js';

const catalog = loadFaultCatalog(join(REPO_ROOT, 'config', 'faults.example.yaml'));

function vision(anomalyBox: VisionFindings['anomalyBox']): VisionFindings {
  return {
    quality: 0.95, anomalyScore: 40, anomalyBox, text: ['ALARM', 'E-042'], alarmCodes: ['E-042'],
    detail: { ocr: [
      { text: 'ALARM', box: { x: 160, y: 270, width: 150, height: 34 } },
      { text: 'E-042', box: { x: 350, y: 270, width: 128, height: 33 } },
      { text: 'noise', box: { x: 0, y: 0, width: 600, height: 300 }, rejected: 'low confidence' },
    ] },
  };
}

describe('anomaly on the display', () => {
  it('recognises an anomaly box lying on accepted text', () => {
    assert.equal(anomalyOnDisplayText(vision({ x: 340, y: 260, width: 140, height: 50 })), true);
    assert.equal(anomalyOnDisplayText(vision({ x: 20, y: 20, width: 80, height: 80 })), false, 'rejected OCR lines do not count');
    assert.equal(anomalyOnDisplayText({ ...vision(undefined) }), false);
  });

  it('reports no unknown anomaly when the alarm explains the changed display', () => {
    const d = new Diagnoser(catalog, { deviceId: 't' }).diagnose({ vision: vision({ x: 340, y: 260, width: 140, height: 50 }) });
    assert.equal(d.faults[0]?.id, 'spindle-bearing-overheat');
    assert.ok(!d.faults.some((f) => f.id === 'unknown-anomaly'), JSON.stringify(d.faults.map((f) => f.id)));
  });

  it('an unreadable alarm: the display changed, no code was read, and the knock raises the bearing — one fault, not an unknown beside it', () => {
    const unread: VisionFindings = {
      quality: 0.95, anomalyScore: 40, anomalyBox: { x: 340, y: 260, width: 140, height: 50 }, text: [], alarmCodes: [],
      detail: { ocr: [{ text: 'E-0?2', box: { x: 350, y: 270, width: 128, height: 33 }, rejected: 'low confidence' }] },
    };
    const knock = {
      quality: 0.9, anomalyScore: 4, speech: 0, events: [{ type: 'impulse' as const, t: 0.1, band: [2400, 4200] as [number, number], strength: 15, rateHz: 7 }],
      signature: { impulseCount: 7, impulseRateHz: 7, impulseRegularity: 1, impulseBandHz: [2400, 4200] as [number, number], tonalHz: null, driftPercent: null, hissRiseDb: null, hissBandHz: null },
    };
    const d = new Diagnoser(catalog, { deviceId: 't' }).diagnose({ vision: unread, audio: knock });
    assert.deepEqual(d.faults.map((f) => f.id), ['spindle-bearing-overheat'], d.summary);
    // The same knock with a change away from the display: that change is still unexplained.
    const elsewhere = new Diagnoser(catalog, { deviceId: 't' }).diagnose({ vision: { ...unread, anomalyBox: { x: 20, y: 20, width: 80, height: 80 } }, audio: knock });
    assert.ok(elsewhere.faults.some((f) => f.id === 'unknown-anomaly'), elsewhere.summary);
  });

  it('still reports an anomaly away from the display as unknown', () => {
    const d = new Diagnoser(catalog, { deviceId: 't' }).diagnose({ vision: vision({ x: 20, y: 20, width: 80, height: 80 }) });
    assert.ok(d.faults.some((f) => f.id === 'unknown-anomaly'), JSON.stringify(d.faults.map((f) => f.id)));
  });
});
