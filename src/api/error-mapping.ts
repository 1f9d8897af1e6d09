// Any error thrown while answering → an ApiError with the right HTTP status.
import { BadInputError } from '../system/errors.js';
import { ApiError } from './errors.js';
import { PipelineBusyError } from '../inference/inference-slot.js';
import { AnalysisWorkerError } from './analysis-pool.js';
import { NO_LIVE_DATA_RETRY_SEC, NoLiveDataError } from './question-answerer.js';

interface HttpishError { statusCode?: number; code?: string; message?: string }

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof BadInputError) return new ApiError(400, err.message, 'invalid_request_error', null, 'invalid_input');
  if (err instanceof NoLiveDataError) return new ApiError(503, err.message, 'service_unavailable', null, 'no_live_data', { 'retry-after': String(NO_LIVE_DATA_RETRY_SEC) });
  if (err instanceof PipelineBusyError) {
    return new ApiError(503, err.message, 'service_unavailable', null, 'pipeline_busy', { 'retry-after': String(err.retryAfterSec) });
  }
  if (err instanceof AnalysisWorkerError) {
    return new ApiError(503, err.message, 'service_unavailable', null, 'analysis_worker_failed', { 'retry-after': String(err.retryAfterSec) });
  }
  const e = (err ?? {}) as HttpishError;
  const status = e.statusCode;
  if (status === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_FILES_LIMIT' || e.code === 'FST_PARTS_LIMIT') {
    return new ApiError(413, `request too large: ${e.message ?? ''} (api.bodyLimit)`.trim(), 'invalid_request_error', null, 'request_too_large');
  }
  if (status === 415) return new ApiError(415, e.message ?? 'unsupported content type', 'invalid_request_error', null, 'unsupported_media_type');
  if (status !== undefined && status >= 400 && status < 500) return new ApiError(status, e.message ?? 'bad request', 'invalid_request_error', null, e.code ?? null);
  return new ApiError(500, `internal error: ${e.message ?? String(err)}`, 'server_error', null, null);
}
