// The status page served by a real daemon on the demo media: the page and its
// assets, the token rules, the snapshot, the live status stream with the
// microphone's spectrogram and the models' accelerators, the learn command,
// /metrics' latency histograms and board health, and (headless Chromium) the
// page with a raised fault as a phone and a desktop show it. The daemon's
// accelerator list starts with an NPU provider (QNN) that this ONNX Runtime
// build lacks, so every model falls back to the CPU, as on a board whose NPU
// driver is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/cli.js';
import { requireProgram } from '../helpers/programs.js';
import { startApiDaemon, type ApiDaemon } from './api-harness.js';

const ARTIFACTS = join(REPO_ROOT, '.tmp', 'artifacts');

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe('status page', { timeout: 240_000 }, () => {
  let d: ApiDaemon;
  const bearer = (): Record<string, string> => ({ authorization: `Bearer ${d.token}` });
  before(async () => { d = await startApiDaemon({ inference: { accelerators: [{ backend: 'ort-native', ep: 'QNN' }, { backend: 'ort-node', ep: 'cpu' }] } }); });
  after(async () => { await d?.stop(); });

  it('serves the page and its assets from the package, without the token (the shell holds no data)', async () => {
    const page = await fetch(`${d.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(assets.sort(), ['/status/status.css', '/status/status.js']);
    assert.doesNotMatch(html, /https?:\/\//, 'no CDN: every asset comes from the daemon');
    const js = await fetch(`${d.url}/status/status.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(await js.text(), /\/api\/status\/events/);
    const css = await fetch(`${d.url}/status/status.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  });

  it('keeps the data behind the token', async () => {
    for (const path of ['/api/snapshot', '/api/status', '/api/status/events']) {
      const r = await fetch(`${d.url}${path}`);
      assert.equal(r.status, 401, path);
    }
    const r = await fetch(`${d.url}/api/baseline/learn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"action":"status"}' });
    assert.equal(r.status, 401);
  });

  it('returns the newest camera frame as a JPEG and the live status with the score history', async () => {
    const snap = await until('a camera frame', async () => {
      const r = await fetch(`${d.url}/api/snapshot`, { headers: bearer() });
      return r.status === 200 ? r : undefined;
    });
    assert.equal(snap.headers.get('content-type'), 'image/jpeg');
    const jpeg = Buffer.from(await snap.arrayBuffer());
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG magic');
    // Vision can be scored twice before the first audio window is analysed: wait for both.
    const status = await until('two score samples and findings of both modalities', async () => {
      const s = await (await fetch(`${d.url}/api/status`, { headers: bearer() })).json() as { history: Array<{ t: number; vision: number | null; audio: number | null }> } & Record<string, unknown>;
      return s.history.length >= 2 && s.vision && s.audio ? s : undefined;
    });
    assert.ok(status.frame, 'frame meta');
    assert.ok(status.vision, 'vision findings');
    assert.ok(status.audio, 'audio findings');
    assert.ok(status.history.at(-1)!.t > status.history[0]!.t);
    assert.equal(status.baselineMode, 'monitoring');
    assert.ok((status.health as Record<string, unknown>).mqtt, 'health per component');
  });

  it('sends status, then ticks, over one SSE stream', async () => {
    const ac = new AbortController();
    const r = await fetch(`${d.url}/api/status/events`, { headers: bearer(), signal: ac.signal });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = r.body!.getReader();
    let text = '';
    while (!/event: tick\n/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    ac.abort();
    assert.match(text, /^event: status\ndata: \{.*"history":/m);
  });

  it('runs cmd/baseline-learn behind the token; a bad action is a 400 naming the choices', async () => {
    const ok = await fetch(`${d.url}/api/baseline/learn`, { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: '{"action":"status"}' });
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { result: { mode: string } }).result.mode, 'monitoring');
    const bad = await fetch(`${d.url}/api/baseline/learn`, { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: '{"action":"forget"}' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /start, stop, cancel, reset or status/);
    // The same schema as cmd/baseline-learn's (the command registry): seconds must be a whole number 1..86400.
    const badSeconds = await fetch(`${d.url}/api/baseline/learn`, { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: '{"action":"start","seconds":1.5}' });
    assert.equal(badSeconds.status, 400);
    assert.match(((await badSeconds.json()) as { error: { message: string } }).error.message, /seconds 1\.5: expected a whole number of seconds, 1\.\.86400/);
  });

  it('carries the microphone\'s spectrogram and the models with the provider each runs on', async () => {
    type Status = { spectrogram: { from: number; next: number; bands: number; colMs: number; data: string } | null; inference: { preferred: string[]; models: Array<{ model: string; file: string; precision: string; runsOn: string; kind: string; fellBack: Array<{ accelerator: string; error: string }> }> } };
    const s = await until('spectrogram columns', async () => {
      const r = await (await fetch(`${d.url}/api/status`, { headers: bearer() })).json() as Status;
      return r.spectrogram && r.spectrogram.next >= 25 ? r : undefined;
    });
    const sp = s.spectrogram!;
    assert.equal(sp.bands, 64);
    assert.equal(Buffer.from(sp.data, 'base64').length, (sp.next - sp.from) * sp.bands, 'whole columns, one byte per band');
    assert.ok(new Set(Buffer.from(sp.data, 'base64')).size > 10, 'the demo\'s sound, not a flat field');
    assert.deepEqual(s.inference.preferred, ['ort-native/QNN', 'ort-node/cpu']);
    const byId = new Map(s.inference.models.map((m) => [m.model.split('@')[0], m]));
    for (const id of ['pp-ocrv4-det', 'pp-ocrv4-rec', 'silero-vad']) {
      const m = byId.get(id);
      assert.ok(m, `${id} listed (have ${[...byId.keys()].join(', ')})`);
      assert.equal(m.runsOn, 'ort-node/cpu');
      assert.equal(m.kind, 'cpu');
      assert.equal(m.precision, 'fp32');
      assert.match(m.file, /\.onnx$/);
      assert.equal(m.fellBack[0]?.accelerator, 'ort-native/QNN');
    }
  });

  it('/metrics: inference latency per model and provider counts runs; board health from the cached sample', async () => {
    const scrape = async () => {
      const r = await fetch(`${d.url}/metrics`, { headers: bearer() });
      assert.equal(r.status, 200);
      return r.text();
    };
    const count = (text: string, model: string): number => Number(new RegExp(`^faultsense_inference_duration_seconds_count\\{model="${model}",backend="ort-node",ep="cpu"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    const first = await scrape();
    for (const model of ['pp-ocrv4-det', 'pp-ocrv4-rec', 'silero-vad']) assert.ok(count(first, model) >= 0, `a series for ${model} on ort-node/cpu`);
    assert.doesNotMatch(first, /faultsense_inference_duration_seconds_count\{[^}]*ep="QNN"/, 'no series for the provider that failed');
    const second = await until('more VAD runs', async () => { const t = await scrape(); return count(t, 'silero-vad') > count(first, 'silero-vad') ? t : undefined; });
    assert.ok(count(second, 'silero-vad') > count(first, 'silero-vad'));
    assert.match(second, /^faultsense_board_disk_free_bytes\{dir="state"\} [1-9]/m);
    assert.match(second, /^faultsense_board_memory_available_bytes [1-9]/m);
    assert.match(second, /^faultsense_board_load1 /m);
  });

  it('renders in headless Chromium with a raised fault, at a phone\'s and a desktop\'s width (screenshots under .tmp/artifacts)', { timeout: 120_000 }, async (t) => {
    if (!requireProgram(t, 'chromium')) return;
    // A kept-alive connection the server closed while idle (between two Chromium runs) can fail one
    // request: try again, and name the daemon's last words only when it keeps failing.
    let failures = 0;
    const raisedTitle = () => until('a raised fault', async () => {
      let s: { diagnosis: { faults: Array<{ title: string }> } | null };
      try {
        s = await (await fetch(`${d.url}/api/status`, { headers: bearer() })).json() as typeof s;
        failures = 0;
      } catch (err) {
        const cause = (err as { cause?: Error }).cause?.message ?? '';
        if (++failures < 5) return undefined;
        throw new Error(`the daemon did not answer (${(err as Error).message}: ${cause}); its log:\n${d.log().slice(-4000)}`);
      }
      return s.diagnosis?.faults[0]?.title;
    }, 90_000);
    mkdirSync(ARTIFACTS, { recursive: true });
    const url = `${d.url}/#token=${d.token}`;
    for (const [name, size] of [['phone', '412,2400'], ['desktop', '1280,1100']] as const) {
      const profile = mkdtempSync(join(tmpdir(), 'faultsense-chromium-'));
      const shot = join(ARTIFACTS, `status-page-${name}.png`);
      rmSync(shot, { force: true });
      const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
        `--user-data-dir=${profile}`, `--window-size=${size}`, '--virtual-time-budget=4000'];
      try {
        // The demo loops between the alarm and normal running, so a fault clears now and then: load the
        // page while one is raised (a few tries), and check its title is what the page shows.
        let html = '';
        let title = '';
        for (let attempt = 0; attempt < 4; attempt++) {
          title = await raisedTitle();
          const dom = spawnSync('chromium', [...flags, '--dump-dom', url], { encoding: 'utf8', timeout: 40_000 });
          assert.equal(dom.status, 0, dom.stderr);
          html = dom.stdout;
          if (html.includes(`<b>${title.replace(/&/g, '&amp;')}</b>`)) break;
        }
        assert.match(html, /id="conn" class="pill ok">live</, 'the page connected with the token from the link');
        assert.ok(html.includes(`<b>${title.replace(/&/g, '&amp;')}</b>`), `the raised fault's title "${title}" is shown`);
        assert.match(html, /<span class="pill bad">critical<\/span> raised/);
        assert.match(html, /<canvas id="snapshot" width="640" height="360">/, 'the snapshot drawn at the frame\'s size');
        assert.match(html, /<canvas id="chart-vision"[^>]*width="[1-9]/);
        assert.match(html, /<canvas id="chart-audio"[^>]*width="[1-9]/);
        assert.match(html, /id="spectro-note">mel bands, [1-9]\d* s held</, 'the spectrogram has columns');
        assert.match(html, /id="spectro-top">8 kHz</);
        assert.match(html, /<b>pp-ocrv4-det@4\.0\.0<\/b> <span class="kind cpu">CPU<\/span> ort-node\/cpu · fp32/, 'model, accelerator kind, provider, precision');
        assert.match(html, /All models run on the CPU: ort-native\/QNN failed \(/, 'the fallback from the NPU, said once');
        assert.match(html, /<td>disk \(state\)<\/td>/, 'board health');
        assert.match(html, /<td>mqtt<\/td>/, 'health table');
        assert.match(html, /id="baseline-mode">monitoring</);
        const png = spawnSync('chromium', [...flags, `--screenshot=${shot}`, url], { encoding: 'utf8', timeout: 40_000 });
        assert.equal(png.status, 0, png.stderr);
        assert.ok(existsSync(shot), 'screenshot written');
        assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [...Buffer.from('PNG')]);
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    }
  });
});
