// The request side of /v1/chat/completions: the OpenAI Chat Completions body,
// validated, and the last user message turned into a question and media.
// Unknown top-level fields (temperature, max_tokens, tools ...) are accepted and
// have no effect: the answer comes from the Diagnosis, not from sampling.
import { z } from 'zod';
import { ApiError, badRequest } from './errors.js';
import type { MediaItem } from './question-answerer.js';

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.union([z.string(), z.looseObject({ url: z.string(), detail: z.string().optional() })]),
});
const audioPart = z.looseObject({
  type: z.literal('input_audio'),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]).optional(),
  name: z.string().optional(),
});

const flags = z.looseObject({
  enable_thinking: z.boolean().optional(),
  return_reasoning: z.boolean().optional(),
});

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1).default('faultsense'),
  messages: z.array(message).min(1, 'messages must hold at least one message'),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  n: z.number().int().nullable().optional(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).nullable().optional(),
  enable_thinking: z.boolean().optional(),
  return_reasoning: z.boolean().optional(),
  extra_body: flags.optional(),
  chat_template_kwargs: flags.optional(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export function parseChatRequest(body: unknown): ChatRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body must be a JSON object (Chat Completions request)');
  const r = chatRequestSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const param = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    throw badRequest(`${param || 'body'}: ${issue.message}`, param || null);
  }
  if (r.data.n !== undefined && r.data.n !== null && r.data.n !== 1) throw badRequest('n: only one choice (n = 1) is produced per question', 'n');
  return r.data;
}

/** True when the caller asked for the evidence chain (top level, extra_body, or chat_template_kwargs). */
export function wantsReasoning(req: ChatRequest): boolean {
  return [req, req.extra_body, req.chat_template_kwargs].some((f) => f?.enable_thinking === true || f?.return_reasoning === true);
}

const IMAGE_TYPES: Record<string, string> = {
  'image/png': '.png', 'image/jpeg': '.jpg', 'image/jpg': '.jpg', 'image/webp': '.webp', 'image/gif': '.gif', 'image/bmp': '.bmp', 'image/tiff': '.tiff',
};
const AUDIO_FORMATS: Record<string, string> = { wav: '.wav', mp3: '.mp3' };
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function decodeBase64(data: string, param: string, what: string): Buffer {
  const clean = data.replace(/\s+/g, '');
  if (clean.length === 0 || !BASE64.test(clean)) throw badRequest(`${param}: ${what} is not valid base64`, param);
  return Buffer.from(clean, 'base64');
}

/** A pending image fetch (http(s) URL to an allowed host). */
export interface RemoteImage { url: URL; label: string }

export interface ParsedQuestion {
  question?: string;
  media: MediaItem[];
  remote: RemoteImage[];
  /** All text of the conversation (for usage). */
  promptText: string;
}

/** Reads the last user message: its text is the question, its image/audio parts the media. */
export function readQuestion(req: ChatRequest, allowFetch: readonly string[]): ParsedQuestion {
  const promptText = req.messages.map((m) => (typeof m.content === 'string' ? m.content
    : Array.isArray(m.content) ? m.content.map((p) => (p.type === 'text' ? String((p as { text?: unknown }).text ?? '') : '')).join(' ') : '')).join('\n');
  const idx = req.messages.map((m) => m.role).lastIndexOf('user');
  if (idx < 0) throw badRequest('messages: no message with role "user" holds a question', 'messages');
  const msg = req.messages[idx]!;
  const base = `messages[${idx}].content`;
  if (typeof msg.content === 'string' || msg.content === null || msg.content === undefined) {
    return { question: msg.content?.trim() || undefined, media: [], remote: [], promptText };
  }
  const texts: string[] = [];
  const media: MediaItem[] = [];
  const remote: RemoteImage[] = [];
  msg.content.forEach((raw, j) => {
    const param = `${base}[${j}]`;
    if (raw.type === 'text') {
      const p = textPart.safeParse(raw);
      if (!p.success) throw badRequest(`${param}: a text part needs a "text" string`, param);
      texts.push(p.data.text);
    } else if (raw.type === 'image_url') {
      const p = imagePart.safeParse(raw);
      if (!p.success) throw badRequest(`${param}: an image_url part needs image_url.url`, param);
      const url = typeof p.data.image_url === 'string' ? p.data.image_url : p.data.image_url.url;
      const m = /^data:([^;,]+)(;[^,]*)?,(.*)$/s.exec(url);
      if (m) {
        const ext = IMAGE_TYPES[m[1]!.toLowerCase()];
        if (!ext) throw badRequest(`${param}: image type ${m[1]} is not supported; send ${Object.keys(IMAGE_TYPES).join(', ')}`, param);
        if (!/;base64$/i.test(m[2] ?? '')) throw badRequest(`${param}: the data URL must be base64 (data:image/png;base64,...)`, param);
        media.push({ kind: 'image', bytes: decodeBase64(m[3]!, param, 'the image data'), ext, label: `${param} (image)` });
        return;
      }
      let parsed: URL;
      try { parsed = new URL(url); } catch { throw badRequest(`${param}: image_url.url is neither a data URL nor a URL`, param); }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw badRequest(`${param}: only data: and http(s): image URLs are accepted`, param);
      const host = parsed.hostname.toLowerCase();
      if (!allowFetch.some((h) => h.toLowerCase() === host || h.toLowerCase() === parsed.host.toLowerCase())) {
        throw badRequest(`${param}: ${parsed.host} is not in api.allowFetch; send the image as a data URL (data:image/jpeg;base64,...) ` +
          'or add the host to api.allowFetch', param, 'url_not_allowed');
      }
      remote.push({ url: parsed, label: `${param} (image ${parsed.host})` });
    } else if (raw.type === 'input_audio') {
      const p = audioPart.safeParse(raw);
      if (!p.success) throw badRequest(`${param}: an input_audio part needs input_audio.data (base64) and input_audio.format`, param);
      const ext = AUDIO_FORMATS[p.data.input_audio.format.toLowerCase()];
      if (!ext) throw badRequest(`${param}: audio format "${p.data.input_audio.format}" is not supported; use wav or mp3`, `${param}.input_audio.format`);
      media.push({ kind: 'audio', bytes: decodeBase64(p.data.input_audio.data, param, 'the audio data'), ext, label: `${param} (audio)` });
    } else {
      throw badRequest(`${param}: content part type "${raw.type}" is not supported; use text, image_url or input_audio`, `${param}.type`);
    }
  });
  return { question: texts.join('\n').trim() || undefined, media, remote, promptText };
}

/** Fetches allowed image URLs, bounded in time and size. */
export async function fetchImages(remote: RemoteImage[], opts: { timeoutMs: number; maxBytes: number }): Promise<MediaItem[]> {
  const out: MediaItem[] = [];
  for (const r of remote) {
    let res: Response;
    try {
      res = await fetch(r.url, { signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'error' });
    } catch (err) {
      throw new ApiError(400, `${r.label}: could not fetch ${r.url.href} (${(err as Error).message})`, 'invalid_request_error', null, 'fetch_failed');
    }
    if (!res.ok) throw new ApiError(400, `${r.label}: fetching ${r.url.href} answered HTTP ${res.status}`, 'invalid_request_error', null, 'fetch_failed');
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const ext = IMAGE_TYPES[type];
    if (!ext) throw badRequest(`${r.label}: ${r.url.href} is ${type || 'of no declared type'}, not a supported image`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > opts.maxBytes) throw new ApiError(413, `${r.label}: the image is ${bytes.length} bytes, over api.bodyLimit`, 'invalid_request_error', null, 'request_too_large');
    out.push({ kind: 'image', bytes, ext, label: r.label });
  }
  return out;
}
