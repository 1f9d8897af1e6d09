// Admission of a question: a place in the bounded queue (429 with Retry-After
// when it is full), then, with api.pipelineFirst, a moment when the daemon's
// analysis stages are idle (503 with Retry-After when none comes within
// api.pipelineWaitMs). The returned release frees the place; call it once.
import type { ApiContext } from './context.js';
import { ApiError } from './errors.js';
import { PipelineBusyError } from '../inference/inference-slot.js';

export async function admitQuestion(ctx: Pick<ApiContext, 'limiter' | 'slot' | 'api'>): Promise<() => void> {
  const { limiter } = ctx;
  const slot = limiter.admit();
  if (!slot) {
    const after = limiter.retryAfterSec();
    throw new ApiError(429, `too many questions at once (${limiter.running} answering, ${limiter.queued} waiting); retry after ${after} s`,
      'rate_limit_error', null, 'rate_limit_exceeded', { 'retry-after': String(after) });
  }
  const release = await slot;
  if (!ctx.slot) return release;
  try {
    await ctx.slot.whenIdle({ maxWaitMs: ctx.api.pipelineWaitMs });
  } catch (err) {
    release(false);
    if (err instanceof PipelineBusyError) {
      limiter.refusedPipelineBusy++;
      throw new ApiError(503, `${err.message} (api.pipelineWaitMs ${ctx.api.pipelineWaitMs})`, 'service_unavailable', null, 'pipeline_busy',
        { 'retry-after': String(err.retryAfterSec) });
    }
    throw err;
  }
  return release;
}
