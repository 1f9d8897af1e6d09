// REST for integrators: POST /api/diagnose (multipart), GET /api/diagnosis/latest,
// GET /api/events (Server-Sent Events of every published diagnosis).
import { extname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import type { MediaItem } from '../question-answerer.js';
import { admitQuestion } from '../admission.js';

const IMAGE_MIME: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/webp': '.webp', 'image/bmp': '.bmp', 'image/gif': '.gif', 'image/tiff': '.tiff' };
const AUDIO_MIME: Record<string, string> = { 'audio/wav': '.wav', 'audio/x-wav': '.wav', 'audio/wave': '.wav', 'audio/mpeg': '.mp3', 'audio/mp3': '.mp3', 'audio/flac': '.flac', 'audio/ogg': '.ogg' };
const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif', '.tif', '.tiff']);
const AUDIO_EXT = new Set(['.wav', '.mp3', '.flac', '.ogg', '.opus', '.m4a']);

function extensionOf(kind: 'image' | 'audio', filename: string, mimetype: string): string {
  const byName = extname(filename).toLowerCase();
  if ((kind === 'image' ? IMAGE_EXT : AUDIO_EXT).has(byName)) return byName;
  const byType = (kind === 'image' ? IMAGE_MIME : AUDIO_MIME)[mimetype.toLowerCase()];
  if (byType) return byType;
  throw badRequest(`${kind} file "${filename}" (${mimetype}) is not a supported ${kind} type; ` +
    `use ${[...(kind === 'image' ? IMAGE_EXT : AUDIO_EXT)].join(' ')}`, kind);
}

export function diagnosisRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/api/diagnose', async (request) => {
    if (!request.isMultipart()) throw new ApiError(415, 'send multipart/form-data with fields image, audio and question', 'invalid_request_error', null, 'unsupported_media_type');
    const media: MediaItem[] = [];
    let question: string | undefined;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'image' && part.fieldname !== 'audio') {
          throw badRequest(`unknown file field "${part.fieldname}"; expected image or audio`, part.fieldname);
        }
        const ext = extensionOf(part.fieldname, part.filename, part.mimetype);
        const bytes = await part.toBuffer();
        media.push({ kind: part.fieldname, bytes, ext, label: `${part.fieldname} ${part.filename}` });
      } else if (part.fieldname === 'question') {
        question = String(part.value).trim() || undefined;
      } else {
        throw badRequest(`unknown field "${part.fieldname}"; expected image, audio and question`, part.fieldname);
      }
    }
    if (media.length === 0) throw badRequest('no image or audio file: send at least one of the fields image and audio', 'image');
    const release = await admitQuestion(ctx);
    try {
      return (await ctx.answerer.answer(media, question)).diagnosis;
    } finally {
      release();
    }
  });

  app.get('/api/diagnosis/latest', async () => {
    const d = ctx.feed.latest;
    if (!d) throw new ApiError(404, 'no diagnosis has been published since the daemon started', 'not_found_error', null, 'no_diagnosis');
    return d;
  });

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const send = (d: { seq: number }): void => { res.write(`event: diagnosis\nid: ${d.seq}\ndata: ${JSON.stringify(d)}\n\n`); };
    res.write(': faultsense diagnoses\n\n');
    // Like a retained MQTT message: the newest diagnosis first, then each one as it is published.
    if (ctx.feed.latest) send(ctx.feed.latest);
    const off = ctx.feed.subscribe(send);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    keepAlive.unref();
    request.raw.on('close', () => { off(); clearInterval(keepAlive); });
  });
}
