// OpenAI-compatible chat: POST /v1/chat/completions and GET /v1/models.
// The answer is the Diagnosis of the question's media (or of the live machine)
// told in words; nothing is generated beyond what the Diagnosis holds.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { admitQuestion } from '../admission.js';
import { answerText, countPieces, questionLanguage, reasoningText, type AnswerContext } from '../answer-text.js';
import { fetchImages, parseChatRequest, readQuestion, wantsReasoning, type ChatRequest } from '../chat-request.js';
import { MODEL_ID, type ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { toApiError } from '../error-mapping.js';
import type { Answer } from '../question-answerer.js';

const MODEL_CREATED = 1767225600; // 2026-01-01: a fixed date, the model id does not change

interface Rendered { content: string; reasoning?: string; usage: Usage }
interface Usage {
  prompt_tokens: number; completion_tokens: number; total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
}

function render(req: ChatRequest, a: Answer, question: string | undefined, promptText: string, ctx: ApiContext): Rendered {
  const actx: AnswerContext = {
    language: questionLanguage(question), ...ctx.thresholds, inputs: a.inputs, faultState: a.faultState, otherViews: a.otherViews,
  };
  const json = req.response_format?.type === 'json_object' || req.response_format?.type === 'json_schema';
  const content = json ? JSON.stringify(a.diagnosis) : answerText(a.diagnosis, actx);
  const reasoning = wantsReasoning(req) ? reasoningText(a.diagnosis, actx) : undefined;
  const prompt = countPieces(promptText);
  const reasoningTokens = reasoning ? countPieces(reasoning) : 0;
  const completion = countPieces(content) + reasoningTokens;
  return {
    content, reasoning,
    usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, ...(reasoning ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } } : {}) },
  };
}

/** Splits text into deltas of about a line each, keeping every character. */
function deltas(text: string): string[] {
  return text.split(/(?<=\n)/).filter((s) => s.length > 0);
}

async function stream(reply: FastifyReply, req: ChatRequest, work: () => Promise<{ a: Answer; r: Rendered }>, release: () => void): Promise<void> {
  const id = `chatcmpl-${randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(Date.now() / 1000);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (o: unknown): void => { if (!res.destroyed) res.write(`data: ${JSON.stringify(o)}\n\n`); };
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    ({ id, object: 'chat.completion.chunk', created, model: MODEL_ID, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish, ...extra }] });
  try {
    send(chunk({ role: 'assistant', content: '' }));
    const { a, r } = await work();
    for (const d of deltas(r.reasoning ?? '')) send(chunk({ reasoning_content: d }));
    for (const d of deltas(r.content)) send(chunk({ content: d }));
    send(chunk({}, 'stop', { faultsense: a.diagnosis }));
    if (req.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model: MODEL_ID, choices: [], usage: r.usage });
    if (!res.destroyed) res.write('data: [DONE]\n\n');
  } catch (err) {
    // Headers are gone: the error travels as an event, which OpenAI clients raise.
    send(toApiError(err).body());
  } finally {
    release();
    res.end();
  }
}

export function chatRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/v1/models', async () => ({
    object: 'list',
    data: [{ id: MODEL_ID, object: 'model', created: MODEL_CREATED, owned_by: 'faultsense' }],
  }));
  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request) => {
    if (request.params.id !== MODEL_ID) throw new ApiError(404, `The model '${request.params.id}' does not exist`, 'invalid_request_error', 'model', 'model_not_found');
    return { id: MODEL_ID, object: 'model', created: MODEL_CREATED, owned_by: 'faultsense' };
  });

  app.post('/v1/chat/completions', async (request, reply) => {
    const req = parseChatRequest(request.body);
    if (req.model !== MODEL_ID) {
      throw new ApiError(404, `The model '${req.model}' does not exist; this server answers "${MODEL_ID}" (GET /v1/models)`, 'invalid_request_error', 'model', 'model_not_found');
    }
    const q = readQuestion(req, ctx.api.allowFetch);
    const release = await admitQuestion(ctx);
    const work = async (): Promise<{ a: Answer; r: Rendered }> => {
      const media = [...q.media, ...await fetchImages(q.remote, { timeoutMs: ctx.api.fetchTimeoutMs, maxBytes: ctx.bodyLimitBytes })];
      const a = await ctx.answerer.answer(media, q.question);
      return { a, r: render(req, a, q.question, q.promptText, ctx) };
    };
    if (req.stream) return stream(reply, req, work, release);
    try {
      const { a, r } = await work();
      return {
        id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: MODEL_ID,
        choices: [{
          index: 0,
          message: { role: 'assistant', content: r.content, refusal: null, ...(r.reasoning !== undefined ? { reasoning_content: r.reasoning } : {}) },
          logprobs: null,
          finish_reason: 'stop',
          faultsense: a.diagnosis,
        }],
        usage: r.usage,
      };
    } finally {
      release();
    }
  });
}
