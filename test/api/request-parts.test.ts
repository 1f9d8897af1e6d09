// Small parts of the API on their own: the limiter, the request reader, the answer text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerText, countPieces, questionLanguage, reasoningText } from '../../src/api/answer-text.js';
import { parseChatRequest, readQuestion, wantsReasoning } from '../../src/api/chat-request.js';
import { ApiError } from '../../src/api/errors.js';
import { RequestLimiter } from '../../src/api/limiter.js';
import type { Diagnosis } from '../../src/types.js';

describe('RequestLimiter', () => {
  it('runs maxConcurrent, queues maxQueued in order, refuses the rest', async () => {
    const l = new RequestLimiter(1, 1);
    const a = await l.admit()!;
    const order: string[] = [];
    const b = l.admit()!.then((release) => { order.push('b'); return release; });
    assert.equal(l.admit(), undefined, 'third is refused');
    assert.equal(l.refused, 1);
    assert.ok(l.retryAfterSec() >= 1);
    order.push('a-done');
    a();
    (await b)();
    assert.deepEqual(order, ['a-done', 'b']);
    assert.equal(l.running, 0);
    assert.equal(l.served, 2);
  });
});

describe('chat request reader', () => {
  it('takes the last user message: text joined, media decoded, flags from any place', () => {
    const req = parseChatRequest({
      model: 'faultsense', chat_template_kwargs: { enable_thinking: true },
      messages: [
        { role: 'user', content: 'old question' },
        { role: 'assistant', content: 'old answer' },
        { role: 'user', content: [{ type: 'text', text: 'what' }, { type: 'text', text: 'now?' }, { type: 'input_audio', input_audio: { data: Buffer.from('RIFF').toString('base64'), format: 'WAV' } }] },
      ],
    });
    assert.equal(wantsReasoning(req), true);
    const q = readQuestion(req, []);
    assert.equal(q.question, 'what\nnow?');
    assert.equal(q.media.length, 1);
    assert.equal(q.media[0]!.ext, '.wav');
    assert.equal(q.media[0]!.bytes.toString(), 'RIFF');
    assert.equal(wantsReasoning(parseChatRequest({ messages: [{ role: 'user', content: 'x' }] })), false);
  });

  it('names the bad field', () => {
    assert.throws(() => parseChatRequest({ messages: [{ role: 'robot', content: 'x' }] }), (e: unknown) => e instanceof ApiError && e.status === 400 && e.param === 'messages[0].role');
    assert.throws(() => parseChatRequest({ messages: [{ role: 'user', content: 'x' }], n: 2 }), /only one choice/);
    assert.throws(() => readQuestion(parseChatRequest({ messages: [{ role: 'system', content: 'x' }] }), []), /no message with role "user"/);
  });
});

const diagnosis = (over: Partial<Diagnosis>): Diagnosis => ({
  id: 'x', seq: 0, deviceId: 'd', ts: new Date(0).toISOString(), severity: 'ok', summary: '', faults: [], modalities: {}, evidence: {},
  timings: { totalMs: 5, cacheHit: false }, ...over,
});

describe('answer text', () => {
  it('says what was not assessed and never calls it normal', () => {
    const d = diagnosis({ modalities: { audio: { quality: 0.9, anomalyScore: null, events: [], speech: 0, weight: 1 } } });
    const en = answerText(d, { language: 'en', raiseAbove: 0.5 });
    assert.match(en, /^No fault found \(analysed: audio\)\./);
    assert.match(en, /Display\/vision: not assessed \(no image\)/);
    assert.match(en, /acoustic anomaly score: not scored \(no audio baseline\)/);
    assert.doesNotMatch(en, /normal/i);
    const r = reasoningText(d, { language: 'en', raiseAbove: 0.5, minQuality: 0.35 });
    assert.match(r, /Vision not assessed: no conclusion is drawn from it/);
    assert.match(r, /audio quality 0\.90 ≥ minimum 0\.35/);
  });

  it('a fault below the raise threshold is only possible; Chinese labels for a Chinese question', () => {
    const d = diagnosis({
      severity: 'info',
      faults: [{ id: 'belt-slip', title: 'Belt slipping', confidence: 0.3, repair: ['Check the belt'], matched: ['audio:tonal'], severity: 'warning' }],
      modalities: { audio: { quality: 0.9, anomalyScore: 1.4, events: [{ type: 'tonal', t: 0, band: [100, 200], strength: 1 }], speech: 0, weight: 1 } },
    });
    assert.equal(questionLanguage('皮带打滑了吗？'), 'zh');
    assert.match(answerText(d, { language: 'en', raiseAbove: 0.5 }), /^Possible fault: Belt slipping \(30% confidence, warning\); evidence: tonal sound\./);
    const zh = answerText(d, { language: 'zh', raiseAbove: 0.5 });
    assert.match(zh, /^可能的故障：Belt slipping（置信度 30%，警告）；依据：音调声。/);
    assert.match(zh, /维修步骤：\n1\. Check the belt/);
    assert.match(reasoningText(d, { language: 'en', raiseAbove: 0.5 }), /below the raise threshold 0\.5: only a possible fault/);
    assert.equal(countPieces('two words 两个字'), 5);
  });

  it('names each candidate and why it was not raised', () => {
    const d = diagnosis({
      faults: [{ id: 'spindle-bearing-overheat', title: 'Spindle bearing overheat', confidence: 0.9, repair: [], matched: ['alarm:E-042'], severity: 'critical' }],
      candidates: [{ id: 'coolant-pump-cavitation', title: 'Coolant pump cavitation', confidence: 0.01, alone: 0.4, reason: 'explained by Spindle bearing overheat', because: 'explained', by: 'spindle-bearing-overheat', matched: ['audio:impulse'], missing: ['audio:hiss-rise'] }],
    });
    const r = reasoningText(d, { language: 'en', raiseAbove: 0.5 });
    assert.match(r, /Candidate coolant-pump-cavitation \(1%, 40% on its own\) not raised: explained by Spindle bearing overheat; missing audio:hiss-rise; signals: audio:impulse/);
    assert.match(answerText(d, { language: 'en', raiseAbove: 0.5 }), /Other candidates: Coolant pump cavitation \(1%\)\./);
  });
});
