// The status page served by a real daemon on the demo media: the page and its
// assets, the token rules, the snapshot, the live status stream, the learn
// command, and (headless Chromium) the page as a phone shows it.
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
  before(async () => { d = await startApiDaemon(); });
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
    const status = await until('two score samples', async () => {
      const s = await (await fetch(`${d.url}/api/status`, { headers: bearer() })).json() as { history: Array<{ t: number; vision: number | null; audio: number | null }> } & Record<string, unknown>;
      return s.history.length >= 2 ? s : undefined;
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
  });

  it('renders in headless Chromium at a phone\'s width (screenshot saved under .tmp/artifacts)', { timeout: 60_000 }, (t) => {
    if (!requireProgram(t, 'chromium')) return;
    mkdirSync(ARTIFACTS, { recursive: true });
    const profile = mkdtempSync(join(tmpdir(), 'faultsense-chromium-'));
    const shot = join(ARTIFACTS, 'status-page-phone.png');
    rmSync(shot, { force: true });
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run',
      `--user-data-dir=${profile}`, '--window-size=412,1400', '--virtual-time-budget=4000'];
    const url = `${d.url}/#token=${d.token}`;
    try {
      const dom = spawnSync('chromium', [...flags, '--dump-dom', url], { encoding: 'utf8', timeout: 25_000 });
      assert.equal(dom.status, 0, dom.stderr);
      assert.match(dom.stdout, /id="conn" class="pill ok">live</, 'the page connected with the token from the link');
      assert.match(dom.stdout, /<td>mqtt<\/td>/, 'health table');
      assert.match(dom.stdout, /id="baseline-mode">monitoring</);
      const png = spawnSync('chromium', [...flags, `--screenshot=${shot}`, url], { encoding: 'utf8', timeout: 25_000 });
      assert.equal(png.status, 0, png.stderr);
      assert.ok(existsSync(shot), 'screenshot written');
      assert.deepEqual([...readFileSync(shot).subarray(1, 4)], [...Buffer.from('PNG')]);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
