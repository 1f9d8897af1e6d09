// faultsense status page: one SSE stream (/api/status/events, read with fetch so
// it can carry the bearer token), the newest frame drawn on a canvas with the
// anomaly box and OCR boxes, and two small score charts. No libraries.
'use strict';
const $ = (id) => document.getElementById(id);
const KEY = 'faultsense.token';
const WINDOW_MS = 10 * 60 * 1000;
let history = [];
let latest = null; // last tick/status
let frameTs = null;
let bitmap = null;

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
  // A link may carry the token in its fragment (#token=...; never sent to the server): keep it for this tab, drop it from the address bar.
const fromLink = /(?:^#|&)token=([^&]+)/.exec(location.hash);
if (fromLink) { sessionStorage.setItem(KEY, decodeURIComponent(fromLink[1])); window.history.replaceState(null, '', location.pathname); }
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
  if (event === 'status') { history = msg.history || []; renderDiagnosis(msg.diagnosis); onTick(msg); }
  else if (event === 'tick') onTick(msg);
  else if (event === 'diagnosis') renderDiagnosis(msg);
}

function onTick(s) {
  latest = s;
  const last = history[history.length - 1];
  if (s.score && (!last || s.score.t > last.t)) history.push(s.score);
  const cut = Date.now() - WINDOW_MS;
  while (history.length && history[0].t < cut) history.shift();
  drawChart($('chart-vision'), 'vision', '#4fc3f7');
  drawChart($('chart-audio'), 'audio', '#ffb74d');
  $('baseline-mode').textContent = s.baselineMode || 'unknown';
  renderHealth(s.health || {});
  renderReadings(s);
  if (s.frame && s.frame.ts !== frameTs) { frameTs = s.frame.ts; loadSnapshot(); }
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
  const why = latest && latest[key] && latest[key].unassessedReason;
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
