// FaultsenseClient: a typed client for a daemon's local API (global fetch, no
// dependencies). Streaming answers and the diagnosis feed are async iterators.
import type { Diagnosis, PublishedDiagnosis } from '../types.js';
import { readMedia, type MediaInput } from './media.js';

export interface AskOptions {
  image?: MediaInput | MediaInput[];
  audio?: MediaInput;
  /** Return the evidence chain (reasoning_content). Default true. */
  reasoning?: boolean;
  signal?: AbortSignal;
}

export interface ChatAnswer { content: string; reasoning?: string; diagnosis: Diagnosis }

export type ChatDelta =
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  | { type: 'done'; diagnosis: Diagnosis };

/** An error answer of the API, in OpenAI's shape. */
export class FaultsenseApiError extends Error {
  constructor(readonly status: number, message: string, readonly type?: string, readonly code?: string | null) {
    super(message);
    this.name = 'FaultsenseApiError';
  }
}

/** Server-Sent Events of a response body, as {event, data} pairs. */
async function* sse(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event: string; data: string }> {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield { event, data: data.join('\n') };
    }
  }
}

export class FaultsenseClient {
  private readonly base: string;

  /** `url`: the daemon's API, e.g. http://127.0.0.1:8080; `token`: the content of its api.tokenFile. */
  constructor(url: string, private readonly token?: string) {
    this.base = url.replace(/\/+$/, '');
  }

  private headers(json = true): Record<string, string> {
    return { ...(json ? { 'content-type': 'application/json' } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, init);
    if (!res.ok) {
      const body = await res.json().catch(() => undefined) as { error?: { message?: string; type?: string; code?: string | null } } | undefined;
      throw new FaultsenseApiError(res.status, body?.error?.message ?? `HTTP ${res.status}`, body?.error?.type, body?.error?.code);
    }
    return res;
  }

  private chatBody(question: string, o: AskOptions, stream: boolean): string {
    const parts: unknown[] = [{ type: 'text', text: question }];
    const images = o.image === undefined ? [] : Array.isArray(o.image) ? o.image : [o.image];
    for (const img of images) {
      const m = readMedia(img, 'image');
      parts.push({ type: 'image_url', image_url: { url: `data:${m.mime};base64,${m.bytes.toString('base64')}` } });
    }
    if (o.audio !== undefined) {
      const m = readMedia(o.audio, 'audio');
      parts.push({ type: 'input_audio', input_audio: { data: m.bytes.toString('base64'), format: m.ext.slice(1) } });
    }
    return JSON.stringify({
      model: 'faultsense', stream, messages: [{ role: 'user', content: parts }], return_reasoning: o.reasoning ?? true,
    });
  }

  /** Asks a question (about the given media, or about the live machine when none is given). */
  async ask(question: string, o: AskOptions = {}): Promise<ChatAnswer> {
    const res = await this.request('/v1/chat/completions', { method: 'POST', headers: this.headers(), body: this.chatBody(question, o, false), signal: o.signal });
    const j = await res.json() as { choices: Array<{ message: { content: string; reasoning_content?: string }; faultsense: Diagnosis }> };
    const c = j.choices[0]!;
    return { content: c.message.content, reasoning: c.message.reasoning_content, diagnosis: c.faultsense };
  }

  /** The same question, streamed: reasoning deltas, content deltas, then the Diagnosis. */
  async *askStream(question: string, o: AskOptions = {}): AsyncGenerator<ChatDelta> {
    const res = await this.request('/v1/chat/completions', { method: 'POST', headers: this.headers(), body: this.chatBody(question, o, true), signal: o.signal });
    for await (const { data } of sse(res.body!)) {
      if (data === '[DONE]') return;
      const chunk = JSON.parse(data) as {
        error?: { message: string; type?: string; code?: string | null };
        choices?: Array<{ delta: { content?: string; reasoning_content?: string }; finish_reason: string | null; faultsense?: Diagnosis }>;
      };
      if (chunk.error) throw new FaultsenseApiError(500, chunk.error.message, chunk.error.type, chunk.error.code);
      const c = chunk.choices?.[0];
      if (!c) continue;
      if (c.delta.reasoning_content) yield { type: 'reasoning', text: c.delta.reasoning_content };
      if (c.delta.content) yield { type: 'content', text: c.delta.content };
      if (c.faultsense) yield { type: 'done', diagnosis: c.faultsense };
    }
  }

  /** POST /api/diagnose: files in, the Diagnosis out. */
  async diagnose(o: { image?: MediaInput; audio?: MediaInput; question?: string; signal?: AbortSignal }): Promise<Diagnosis> {
    const form = new FormData();
    if (o.image !== undefined) { const m = readMedia(o.image, 'image'); form.append('image', new Blob([m.bytes], { type: m.mime }), `image${m.ext}`); }
    if (o.audio !== undefined) { const m = readMedia(o.audio, 'audio'); form.append('audio', new Blob([m.bytes], { type: m.mime }), `audio${m.ext}`); }
    if (o.question) form.append('question', o.question);
    const res = await this.request('/api/diagnose', { method: 'POST', headers: this.headers(false), body: form, signal: o.signal });
    return await res.json() as Diagnosis;
  }

  /** The last diagnosis the daemon published, or undefined before the first. */
  async latest(): Promise<PublishedDiagnosis | undefined> {
    try {
      return await (await this.request('/api/diagnosis/latest', { headers: this.headers(false) })).json() as PublishedDiagnosis;
    } catch (err) {
      if (err instanceof FaultsenseApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Every published diagnosis (the newest first), until `signal` aborts. */
  async *events(signal?: AbortSignal): AsyncGenerator<PublishedDiagnosis> {
    const res = await this.request('/api/events', { headers: this.headers(false), signal });
    try {
      for await (const { event, data } of sse(res.body!)) if (event === 'diagnosis') yield JSON.parse(data) as PublishedDiagnosis;
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }

  async models(): Promise<string[]> {
    const j = await (await this.request('/v1/models', { headers: this.headers(false) })).json() as { data: Array<{ id: string }> };
    return j.data.map((m) => m.id);
  }
}
