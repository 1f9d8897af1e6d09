// faultsense status page: one SSE stream (/api/status/events, read with fetch so
// it can carry the bearer token), the newest frame drawn on a canvas with the
// anomaly box and OCR boxes, two small score charts, the microphone's live
// spectrogram (the analyzer's log-mel columns), the models with the
// accelerator each runs on, and the board's health. No libraries.
'use strict';
const $ = (id) => document.getElementById(id);
const KEY = 'faultsense.token';
const WINDOW_MS = 10 * 60 * 1000;
let history = [];
let latest = null; // last tick/status
let frameTs = null;
let bitmap = null;
let lastHealth = {}; // the health tree of the last tick that carried one
const SNAPSHOT_EVERY_MS = 2000;
let snapshotAt = 0;

const auth = () => { const t = sessionStorage.getItem(KEY); return t ? { authorization: 'Bearer ' + t } : {}; };
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const pct = (x) => Math.round(x * 100) + '%';

function setConn(text, cls) { const c = $('conn'); c.textContent = text; c.className = 'pill ' + (cls || ''); }

function askToken(message) {
  $('login').hidden = false; $('main').hidden = true;
  $('login-error').textContent = message || '';
  setConn('token needed', 'warn');
}
$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  sessionStorage.setItem(KEY, $('token').value.trim());
  $('login').hidden = true; $('main').hidden = false;
  connect();
});

async function connect() {
  let res;
  try {
    res = await fetch('/api/status/events', { headers: auth() });
  } catch (err) { setConn('offline', 'bad'); return void setTimeout(connect, 3000); }
  if (res.status === 401) { sessionStorage.removeItem(KEY); return askToken('The board refused the token; enter it again.'); }
  if (!res.ok || !res.body) { setConn('error ' + res.status, 'bad'); return void setTimeout(connect, 3000); }
  setConn('live', 'ok');
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) { onBlock(buf.slice(0, i)); buf = buf.slice(i + 2); }
    }
  } catch { /* dropped */ }
  setConn('reconnecting…', 'warn');
  setTimeout(connect, 2000);
}

function onBlock(block) {
  let event = 'message', data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (!data) return;
  const msg = JSON.parse(data);
  if (event === 'status') { history = msg.history || []; spectro = null; renderDiagnosis(msg.diagnosis); onTick(msg); }
  else if (event === 'tick') onTick(msg);
  else if (event === 'diagnosis') renderDiagnosis(msg);
}

function onTick(s) {
  latest = s;
  if (s.health) lastHealth = s.health;
  const last = history[history.length - 1];
  if (s.score && (!last || s.score.t > last.t)) history.push(s.score);
  const cut = Date.now() - WINDOW_MS;
  while (history.length && history[0].t < cut) history.shift();
  drawChart($('chart-vision'), 'vision', '#4fc3f7');
  drawChart($('chart-audio'), 'audio', '#ffb74d');
  renderReadings(s);
  if (s.spectrogram) addColumns(s.spectrogram);
  renderSound(s);
  // The health tree, models and board come with every 10th tick (and the first message).
  if (s.health) {
    $('baseline-mode').textContent = s.baselineMode || 'unknown';
    renderHealth(s.health);
    renderModels(s.inference);
    renderBoard(s.health.board, s.health.disk);
  }
  // A new frame at most every 2 s (each fetch is a request the board serves).
  if (s.frame && s.frame.ts !== frameTs && Date.now() - snapshotAt >= SNAPSHOT_EVERY_MS) { frameTs = s.frame.ts; snapshotAt = Date.now(); loadSnapshot(); }
  else drawSnapshot();
  if (s.frame) $('frame-age').textContent = Math.max(0, Math.round((s.ts - s.frame.ts) / 1000)) + ' s old';
}

async function loadSnapshot() {
  try {
    const r = await fetch('/api/snapshot', { headers: auth() });
    if (!r.ok) return;
    bitmap = await createImageBitmap(await r.blob());
    drawSnapshot();
  } catch { /* next tick */ }
}

function drawSnapshot() {
  const c = $('snapshot');
  if (!bitmap) return;
  if (c.width !== bitmap.width || c.height !== bitmap.height) { c.width = bitmap.width; c.height = bitmap.height; }
  const g = c.getContext('2d');
  g.drawImage(bitmap, 0, 0);
  const v = latest && latest.vision;
  if (!v) return;
  const lw = Math.max(2, c.width / 320);
  g.font = Math.round(lw * 7) + 'px sans-serif';
  for (const l of v.ocr || []) {
    const b = l.box;
    g.setLineDash(l.rejected ? [lw * 3, lw * 2] : []);
    g.strokeStyle = l.rejected ? '#9e9e9e' : '#00e676'; g.lineWidth = lw;
    g.strokeRect(b.x, b.y, b.width, b.height);
    g.fillStyle = g.strokeStyle; g.fillText(l.text, b.x, Math.max(lw * 7, b.y - lw));
  }
  g.setLineDash([]);
  if (v.anomalyBox) {
    const b = v.anomalyBox;
    g.strokeStyle = '#ff1744'; g.lineWidth = lw * 1.5;
    g.strokeRect(b.x, b.y, b.width, b.height);
    if (v.anomalyScore != null) { g.fillStyle = '#ff1744'; g.fillText('anomaly ' + v.anomalyScore.toFixed(2), b.x, b.y + b.height + lw * 8); }
  }
}

function drawChart(c, key, color) {
  const dpr = window.devicePixelRatio || 1;
  const w = c.clientWidth || 300, h = c.clientHeight || 90;
  if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) { c.width = Math.round(w * dpr); c.height = Math.round(h * dpr); }
  const g = c.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, h);
  const pts = history.filter((p) => p[key] != null);
  const max = Math.max(1, ...pts.map((p) => p[key]));
  const now = Date.now(), x = (t) => w - ((now - t) / WINDOW_MS) * w, y = (s) => h - 4 - (s / max) * (h - 16);
  g.strokeStyle = '#2a313a'; g.lineWidth = 1;
  g.beginPath(); g.moveTo(0, y(1)); g.lineTo(w, y(1)); g.stroke(); // the raise-level reference: score 1 = at the baseline's limit
  g.strokeStyle = color; g.lineWidth = 1.5; g.beginPath();
  pts.forEach((p, i) => (i ? g.lineTo(x(p.t), y(p[key])) : g.moveTo(x(p.t), y(p[key]))));
  g.stroke();
  const last = pts[pts.length - 1];
  g.fillStyle = '#9aa3ad'; g.font = '12px sans-serif';
  // Why there is no score: the findings' reason, else the analysis stage's health saying it has no baseline.
  const stage = lastHealth['analysis.' + key];
  const why = (latest && latest[key] && latest[key].unassessedReason) || (stage && stage.baseline === false ? 'no ' + key + ' baseline yet' : '');
  g.fillText(key + (last ? ' ' + last[key].toFixed(2) + '  max ' + max.toFixed(1) : ' — no score' + (why ? ': ' + why : '')), 4, 12);
}

function renderReadings(s) {
  const parts = [];
  if (s.vision) {
    if (s.vision.text.length) parts.push('read: ' + s.vision.text.map(esc).join(' · '));
    if (s.vision.alarmCodes.length) parts.push('alarm codes: <b>' + s.vision.alarmCodes.map(esc).join(', ') + '</b>');
    if (s.vision.unassessedReason) parts.push('vision: ' + esc(s.vision.unassessedReason));
  }
  if (s.audio) {
    if (s.audio.events.length) parts.push('heard: ' + s.audio.events.map(esc).join(', '));
    if (s.audio.unassessedReason) parts.push('audio: ' + esc(s.audio.unassessedReason));
  }
  $('readings').innerHTML = parts.join('<br>') || (s.frame ? '' : 'no camera frame yet');
}

function renderDiagnosis(d) {
  if (!d) return;
  $('device').textContent = d.deviceId;
  const faults = (d.faults || []).map((f) => `<div class="fault ${esc(f.severity || '')}"><b>${esc(f.title)}</b> <small>${esc(f.id)} · ${pct(f.confidence)} · ${esc(f.severity || '')}</small>` +
    (f.repair && f.repair.length ? `<ol>${f.repair.map((r) => `<li>${esc(r)}</li>`).join('')}</ol>` : '') + '</div>').join('');
  const cands = (d.candidates || []).map((c) => `<li>${esc(c.title)} <small>${pct(c.confidence)} — ${esc(c.reason)}</small></li>`).join('');
  $('fault-body').innerHTML = `<p><span class="pill ${d.faults && d.faults.length ? 'bad' : 'ok'}">${esc(d.severity)}</span> ${esc(d.state || '')} <small>#${d.seq} ${esc(d.ts)}</small></p>` +
    `<p>${esc(d.summary)}</p>${faults}` + (cands ? `<p class="muted">Other candidates:</p><ul>${cands}</ul>` : '');
}

// Byte counts in MB, fractions with two decimals, the rest as sent.
function num(k, x) {
  if (typeof x !== 'number') return x;
  if (/bytes|rss|heap|available|free/i.test(k) && x > 1e6) return (x / 1048576).toFixed(0) + ' MB';
  return Number.isInteger(x) ? x : x.toFixed(2);
}

function brief(v) {
  if (v == null) return '–';
  if (typeof v !== 'object') return esc(v);
  if (Array.isArray(v)) return esc(v.length + ' items');
  return Object.entries(v).filter(([, x]) => x == null || typeof x !== 'object').slice(0, 8)
    .map(([k, x]) => `${esc(k)}=${esc(num(k, x))}`).join(' ');
}

function renderHealth(h) {
  $('health').innerHTML = '<table>' + Object.entries(h).map(([name, v]) => `<tr><td>${esc(name)}</td><td>${brief(v)}</td></tr>`).join('') + '</table>';
}

// --- Spectrogram: columns of `bands` bytes (0..255 over a fixed log-power range), oldest first.
let spectro = null; // { bands, colMs, cols: Uint8Array (capacity*bands), n, maxHz }
const SPECTRO_COLS = 750;
// A dark-to-bright colour ramp (black, purple, red, orange, pale yellow).
const RAMP = (() => {
  const stops = [[0, 0, 0, 4], [0.25, 80, 18, 123], [0.5, 183, 55, 84], [0.75, 252, 137, 40], [1, 252, 253, 191]];
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const x = i / 255; let k = 1; while (k < stops.length - 1 && stops[k][0] < x) k++;
    const a = stops[k - 1], b = stops[k], t = (x - a[0]) / (b[0] - a[0]);
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = a[c + 1] + (b[c + 1] - a[c + 1]) * t;
  }
  return lut;
})();

function addColumns(sp) {
  if (!spectro || spectro.bands !== sp.bands) spectro = { bands: sp.bands, colMs: sp.colMs, cols: new Uint8Array(SPECTRO_COLS * sp.bands), n: 0, maxHz: sp.maxHz };
  const bytes = Uint8Array.from(atob(sp.data || ''), (c) => c.charCodeAt(0));
  const add = Math.floor(bytes.length / sp.bands);
  if (!add) return drawSpectrogram();
  const keep = Math.min(spectro.n, SPECTRO_COLS - Math.min(add, SPECTRO_COLS));
  const fresh = bytes.subarray(Math.max(0, add - SPECTRO_COLS) * sp.bands);
  spectro.cols.copyWithin(0, (spectro.n - keep) * sp.bands, spectro.n * sp.bands);
  spectro.cols.set(fresh, keep * sp.bands);
  spectro.n = keep + fresh.length / sp.bands;
  drawSpectrogram();
}

function drawSpectrogram() {
  const c = $('spectrogram');
  if (!spectro) return;
  const { bands, n, cols } = spectro;
  if (c.width !== SPECTRO_COLS || c.height !== bands) { c.width = SPECTRO_COLS; c.height = bands; }
  // Contrast from what is shown: the 2nd to the 99.8th percentile of the bytes held.
  const hist = new Uint32Array(256);
  for (let i = 0; i < n * bands; i++) hist[cols[i]]++;
  const pick = (q) => { let acc = 0; const want = q * n * bands; for (let v = 0; v < 256; v++) { acc += hist[v]; if (acc >= want) return v; } return 255; };
  const lo = pick(0.02), hi = Math.max(lo + 8, pick(0.998));
  const img = c.getContext('2d').createImageData(SPECTRO_COLS, bands);
  const x0 = SPECTRO_COLS - n; // newest on the right
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < bands; b++) {
      const v = Math.max(0, Math.min(255, Math.round(((cols[i * bands + b] - lo) / (hi - lo)) * 255)));
      const p = ((bands - 1 - b) * SPECTRO_COLS + x0 + i) * 4; // low frequencies at the bottom
      img.data[p] = RAMP[v * 3]; img.data[p + 1] = RAMP[v * 3 + 1]; img.data[p + 2] = RAMP[v * 3 + 2]; img.data[p + 3] = 255;
    }
  }
  for (let p = 3; p < img.data.length; p += 4) if (!img.data[p]) { img.data[p - 3] = 17; img.data[p - 2] = 20; img.data[p - 1] = 24; img.data[p] = 255; }
  c.getContext('2d').putImageData(img, 0, 0);
  $('spectro-span').textContent = '−' + Math.round((SPECTRO_COLS * spectro.colMs) / 1000) + ' s';
  if (spectro.maxHz) $('spectro-top').textContent = spectro.maxHz >= 1000 ? (spectro.maxHz / 1000).toFixed(spectro.maxHz % 1000 ? 1 : 0) + ' kHz' : spectro.maxHz + ' Hz';
  $('spectro-note').textContent = 'mel bands, ' + Math.round(n * spectro.colMs / 1000) + ' s held';
}

function renderSound(s) {
  const a = s.audio;
  if (!a) { $('sound').textContent = s.spectrogram ? 'no fresh audio findings' : 'no microphone configured'; return; }
  const parts = [];
  if (a.level != null) parts.push('level ' + a.level.toFixed(1) + ' dBFS');
  parts.push('quality ' + pct(a.quality));
  parts.push(a.anomalyScore != null ? 'anomaly ' + a.anomalyScore.toFixed(2) : 'not scored: ' + esc(a.unassessedReason || 'unknown'));
  if (a.events.length) parts.push('heard: ' + a.events.map(esc).join(', '));
  $('sound').innerHTML = parts.join(' · ');
}

// --- Models: file, precision, where each runs, and whether it fell back from the preferred accelerator.
function renderModels(inf) {
  if (!inf) return;
  const ms = (x) => (x != null ? x.toFixed(x < 10 ? 1 : 0) : '–');
  const why = (m) => m.fellBack.map((f) => esc(f.accelerator) + ' failed (' + esc(f.error.trim()) + ')').join('; ');
  // The same fallback for every model (an NPU that is not there) is said once, above the list.
  const shared = inf.models.length > 1 && inf.models[0].fellBack.length && inf.models.every((m) => why(m) === why(inf.models[0])) ? why(inf.models[0]) : '';
  const kinds = [...new Set(inf.models.map((m) => m.kind.toUpperCase()))];
  const items = inf.models.map((m) => `<div class="model"><b>${esc(m.model)}</b> <span class="kind ${esc(m.kind)}">${esc(m.kind.toUpperCase())}</span> ` +
    `${esc(m.runsOn)} · ${esc(m.precision || 'precision ?')}<br><small>${esc(m.file || '')} · ${m.runs ?? 0} runs, mean ${ms(m.meanMs)} ms, p95 ${ms(m.p95Ms)} ms</small>` +
    (m.fellBack.length && !shared ? `<div class="fallback">fell back: ${why(m)}</div>` : '') + '</div>').join('');
  const failed = inf.failed.length ? `<p class="bad">not loaded: ${inf.failed.map(esc).join(', ')}</p>` : '';
  const summary = shared ? `<p class="fallback">All models run on the ${esc(kinds.join('/'))}: ${shared}.</p>` : '';
  $('models').innerHTML = `<p class="muted">preferred order: ${inf.preferred.map(esc).join(' → ') || '?'}</p>` + summary + (items || '<p>no model session open</p>') + failed;
}

// --- Board: temperature, throttling, load, memory, disk (sampled by the daemon every few seconds).
function renderBoard(b, disk) {
  if (!b || b.sampled === false) return;
  const gb = (x) => (x / 1073741824).toFixed(1) + ' GB';
  const rows = [];
  rows.push(['CPU temperature', b.cpuTempC != null ? b.cpuTempC.toFixed(1) + ' °C <small>' + esc(b.tempSensor || '') + '</small>' : 'not exposed by this board']);
  if (b.throttling) rows.push(['throttling', b.throttling.flags ? `<span class="bad">${['underVoltage', 'frequencyCapped', 'throttled', 'softTempLimit'].filter((k) => b.throttling[k]).join(', ') || 'earlier since boot'}</span>` : 'none']);
  rows.push(['load', b.load.map((x) => x.toFixed(2)).join(' / ') + ` <small>(1/5/15 min, ${b.cpus} CPUs${b.cpuBusy != null ? ', ' + pct(b.cpuBusy) + ' busy' : ''})</small>`]);
  if (b.memory) rows.push(['memory', gb(b.memory.availableBytes) + ' available of ' + gb(b.memory.totalBytes)]);
  for (const [k, d] of Object.entries(b.disk || {})) rows.push(['disk (' + esc(k) + ')', `<span class="${d.freeBytes / d.totalBytes < 0.05 ? 'bad' : ''}">${gb(d.freeBytes)} free</span> of ${gb(d.totalBytes)}`]);
  // The disk governor: its level (low/critical once deleting old clips was not enough) and what it deleted.
  if (disk && disk.level) rows.push(['disk level', `<span class="${disk.level === 'normal' ? '' : 'bad'}">${esc(disk.level)}</span>` +
    ` <small>(${disk.trimmedFiles} old clip file(s), ${gb(disk.trimmedBytes)} deleted since start)</small>`]);
  $('board').innerHTML = '<table>' + rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join('') + '</table>' + `<p class="muted">sampled ${b.ageSec} s ago</p>`;
}

$('learn').addEventListener('click', async () => {
  if (!confirm('Learn normal from what the machine does now? Only do this while it runs correctly.')) return;
  $('learn-result').textContent = 'sending…';
  const r = await fetch('/api/baseline/learn', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ action: 'start' }) });
  const body = await r.json().catch(() => ({}));
  if (r.status === 401) return askToken('The board needs the token to learn.');
  $('learn-result').textContent = r.ok ? 'learning: ' + JSON.stringify(body.result) : (body.error ? body.error.message : 'error ' + r.status);
});

// A link may carry the token in its fragment (#token=...; never sent to the server): keep it for this tab, drop it from the address bar.
const fromLink = /(?:^#|&)token=([^&]+)/.exec(location.hash);
if (fromLink) { sessionStorage.setItem(KEY, decodeURIComponent(fromLink[1])); window.history.replaceState(null, '', location.pathname); }
connect();
