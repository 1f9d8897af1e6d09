// The status page: GET / and its assets (files of the package, no CDN), the
// newest camera frame, a stream of live status for the page, and the
// "learn normal now" command (the same one as MQTT's cmd/baseline-learn).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { acceleratorKind } from '../../inference/precision-policy.js';
import { builtinCommandSchemas } from '../../publish/commands.js';
import { PACKAGE_ROOT } from '../../system/native.js';
import type { ApiContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';

export const STATUS_PAGE_DIR = join(PACKAGE_ROOT, 'web', 'status');

/** The page's files: the shell holds no machine data, so it loads without a token (the data routes need it). */
export const STATUS_ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/status/status.js': { file: 'status.js', type: 'text/javascript; charset=utf-8' },
  '/status/status.css': { file: 'status.css', type: 'text/css; charset=utf-8' },
};

interface OcrBox { text?: string; box?: { x: number; y: number; width: number; height: number }; rejected?: string }

/** Seconds of spectrogram a page gets when it connects. */
const SPECTROGRAM_SECONDS = 30;

export interface ModelInUse {
  /** Registry id@version, or the label the model was opened under (a baseline). */
  model: string;
  file: string | null;
  precision: string | null;
  /** Where it runs: backend/ep, and what kind of processor that is. */
  runsOn: string;
  kind: 'npu' | 'gpu' | 'cpu';
  /** The accelerators tried first and why each failed (empty: it runs on the first choice). */
  fellBack: Array<{ accelerator: string; error: string }>;
  runs: number | null;
  meanMs: number | null;
  p95Ms: number | null;
}

type Tree = Record<string, unknown>;
const tree = (v: unknown): Tree => (v && typeof v === 'object' ? v as Tree : {});
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The models the pipeline runs, from the inference component's health: file, precision, provider, fallback. */
export function modelsInUse(health: Tree): { preferred: string[]; models: ModelInUse[]; failed: string[] } {
  const inf = tree(health.inference);
  const precisions = tree(inf.precision);
  const inUse = (s: Tree, prefix: string): ModelInUse => {
    const ep = String(s.ep ?? 'cpu');
    const model = String(s.model ?? '?');
    const precision = typeof s.precision === 'string' ? s.precision : tree(precisions[model.split('@')[0]!]).precision;
    return {
      model: `${prefix}${model}`, file: typeof s.fileName === 'string' ? s.fileName : null,
      precision: typeof precision === 'string' ? precision : null,
      runsOn: `${String(s.backend ?? '?')}/${ep}`, kind: acceleratorKind({ ep }),
      fellBack: Array.isArray(s.fellBack) ? (s.fellBack as Array<{ accelerator: string; error: string }>) : [],
      runs: numOrNull(s.runs), meanMs: numOrNull(s.meanMs), p95Ms: numOrNull(s.p95Ms),
    };
  };
  const models = Object.values(tree(inf.sessions)).map((s) => inUse(tree(s), '')).sort((a, b) => a.model.localeCompare(b.model));
  // The local API's analysis workers open the same models on the same engine, in their own processes.
  const api = Object.values(tree(tree(tree(health.api).analysis).sessions)).map((s) => inUse(tree(s), 'API: ')).sort((a, b) => a.model.localeCompare(b.model));
  return {
    preferred: Array.isArray(inf.accelerators) ? inf.accelerators.map(String) : [],
    models: [...models, ...api],
    failed: Array.isArray(inf.failed) ? inf.failed.map(String) : [],
  };
}

interface OcrBox { text?: string; box?: { x: number; y: number; width: number; height: number }; rejected?: string }

/** Ticks between two that carry the health tree, the models and the board (the page's slower parts). */
const HEALTH_EVERY_TICKS = 10;

export interface LiveStatusOptions {
  /** The first spectrogram column the reader lacks (default: the last 30 s); false: leave the spectrogram out. */
  spectrogramFrom?: number | false;
  /** Include the health tree, the models and the baseline mode (default true). */
  health?: boolean;
}

/** The spectrogram columns from `from` on (at most the last 30 s), or null without a microphone. */
function spectrogramSince(ctx: ApiContext, from = 0): unknown {
  const ring = ctx.spectrogram;
  return ring ? ring.since(from, Math.ceil((SPECTROGRAM_SECONDS * 1000) / ring.colMs)) : null;
}

/** What the page draws and shows, from the live view and the daemon's health. */
export function liveStatus(ctx: ApiContext, opts: LiveStatusOptions = {}): Record<string, unknown> {
  const f = ctx.live?.findings();
  const frame = ctx.live?.newestFrame() as { ts: number; seq?: number; width?: number; height?: number } | undefined;
  const v = f?.vision;
  const ocr = ((v?.detail as { ocr?: OcrBox[] } | undefined)?.ocr ?? [])
    .filter((l) => l.box).map((l) => ({ text: l.text ?? '', box: l.box, rejected: l.rejected ?? null }));
  const health = opts.health === false ? undefined : ctx.health();
  const baseline = health?.baseline as { mode?: string } | undefined;
  return {
    ts: Date.now(),
    frame: frame ? { ts: frame.ts, seq: frame.seq ?? null, width: frame.width ?? null, height: frame.height ?? null } : null,
    vision: v ? { anomalyScore: v.anomalyScore, anomalyBox: v.anomalyBox ?? null, text: v.text, alarmCodes: v.alarmCodes, quality: v.quality, unassessedReason: v.unassessedReason ?? null, ocr } : null,
    audio: f?.audio ? { anomalyScore: f.audio.anomalyScore, events: [...new Set(f.audio.events.map((e) => e.type))], quality: f.audio.quality, unassessedReason: f.audio.unassessedReason ?? null, level: f.audio.level ?? null } : null,
    score: ctx.scores?.newest ?? null,
    ...(opts.spectrogramFrom === false ? {} : { spectrogram: spectrogramSince(ctx, opts.spectrogramFrom) }),
    ...(health ? { baselineMode: baseline?.mode ?? null, inference: modelsInUse(health), health } : {}),
  };
}

export function statusPageRoutes(app: FastifyInstance, ctx: ApiContext): void {
  // Read once: the files are part of the installed package.
  const assets = Object.entries(STATUS_ASSETS).map(([path, a]) => ({ path, type: a.type, body: readFileSync(join(STATUS_PAGE_DIR, a.file)) }));
  for (const a of assets) {
    app.get(a.path, async (_request, reply) => reply.type(a.type).header('cache-control', 'no-cache').send(a.body));
  }

  const cost = ctx.servingCost;
  const timed = <T>(fn: () => T): T => (cost ? cost.time('statusPageMs', fn) : fn());
  app.get('/api/snapshot', async (_request, reply) => {
    const frame = ctx.live?.newestFrame();
    if (!frame) throw new ApiError(503, 'no camera frame yet (no camera configured, or it has not delivered a frame)', 'service_unavailable', null, 'no_frame');
    return timed(() => reply.type('image/jpeg').header('cache-control', 'no-store').header('x-frame-ts', String(frame.ts)).send(frame.jpeg));
  });

  app.get('/api/status', async () => ({ ...liveStatus(ctx), history: ctx.scores?.all ?? [], diagnosis: ctx.feed.latest ?? null }));

  // One SSE stream per page: `status` now (everything, with the score history and the latest diagnosis),
  // `tick` every second (findings, score, the spectrogram columns that page lacks; every 10th also the
  // health tree, models and board), `diagnosis` as each is published. One timer serves every open page
  // and computes the shared part once per second.
  interface Page { send(event: string, data: unknown): void; nextColumn: number }
  const pages = new Set<Page>();
  let ticker: NodeJS.Timeout | undefined;
  let ticks = 0;
  const tick = (): void => timed(() => {
    const withHealth = ++ticks % HEALTH_EVERY_TICKS === 0;
    const shared = liveStatus(ctx, { spectrogramFrom: false, health: withHealth });
    for (const page of pages) {
      const columns = spectrogramSince(ctx, page.nextColumn) as { next: number } | null;
      if (columns) page.nextColumn = columns.next;
      page.send('tick', { ...shared, spectrogram: columns });
    }
  });
  app.get('/api/status/events', (request, reply) => timed(() => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const status = liveStatus(ctx);
    const page: Page = {
      send: (event, data) => { res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`); },
      nextColumn: (status.spectrogram as { next: number } | null)?.next ?? 0,
    };
    page.send('status', { ...status, history: ctx.scores?.all ?? [], diagnosis: ctx.feed.latest ?? null });
    const off = ctx.feed.subscribe((d) => page.send('diagnosis', d));
    pages.add(page);
    if (!ticker) { ticker = setInterval(tick, 1000); ticker.unref(); }
    request.raw.on('close', () => {
      off();
      pages.delete(page);
      if (pages.size === 0 && ticker) { clearInterval(ticker); ticker = undefined; }
    });
  }));
  app.addHook('onClose', async () => { if (ticker) clearInterval(ticker); ticker = undefined; });

  app.post('/api/baseline/learn', async (request) => {
    if (!ctx.baselineLearn) throw new ApiError(503, 'live baseline learning is not available in this daemon', 'service_unavailable', null, 'no_learner');
    // The arguments are cmd/baseline-learn's, checked by the one schema in the command registry.
    const body = (request.body ?? {}) as { action?: unknown; seconds?: unknown };
    const learn = builtinCommandSchemas['baseline-learn'];
    const parsed = learn.safeParse({ action: body.action ?? 'start', ...(body.seconds !== undefined ? { seconds: body.seconds } : {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? 'action');
      const choices = learn.shape.action.options;
      throw badRequest(field === 'action'
        ? `action "${String(body.action)}": expected ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`
        : `seconds ${JSON.stringify(body.seconds)}: expected a whole number of seconds, 1..86400 (${issue.message})`, field);
    }
    try {
      return { ok: true, result: await ctx.baselineLearn(parsed.data) };
    } catch (err) {
      throw new ApiError(409, (err as Error).message, 'invalid_request_error', null, 'baseline_learn_refused');
    }
  });
}
