// The OpenAPI 3.1 description served at /openapi.json.
const error = { $ref: '#/components/schemas/Error' };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: error } } });

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'faultsense local API',
      version,
      description: 'Ask the machine what is wrong: OpenAI-compatible chat completions answered from the Diagnosis of '
        + 'the given image/audio or of the live camera and microphone, plus REST for integrators.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the token in api.tokenFile (when set)' } },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', properties: { message: { type: 'string' }, type: { type: 'string' }, param: { type: ['string', 'null'] }, code: { type: ['string', 'null'] } } } },
        },
        Diagnosis: {
          type: 'object', description: 'The one Diagnosis schema of the CLI, MQTT and the API (see the README)',
          required: ['id', 'seq', 'deviceId', 'ts', 'severity', 'summary', 'faults', 'modalities', 'evidence', 'timings'],
          properties: {
            id: { type: 'string' }, seq: { type: 'integer' }, deviceId: { type: 'string' }, ts: { type: 'string', format: 'date-time' },
            severity: { enum: ['ok', 'info', 'warning', 'critical'] }, summary: { type: 'string' },
            faults: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, title: { type: 'string' }, confidence: { type: 'number' }, repair: { type: 'array', items: { type: 'string' } }, matched: { type: 'array', items: { type: 'string' } } } } },
            modalities: { type: 'object' }, evidence: { type: 'object' }, timings: { type: 'object' }, state: { enum: ['raised', 'updated', 'cleared', 'healthy'] },
          },
        },
        ChatRequest: {
          type: 'object', required: ['messages'],
          properties: {
            model: { const: 'faultsense' },
            messages: { type: 'array', description: 'the last user message is the question; its parts: text, image_url (data URL, or http(s) to a host in api.allowFetch), input_audio {data: base64, format: wav|mp3}' },
            stream: { type: 'boolean' }, stream_options: { type: 'object', properties: { include_usage: { type: 'boolean' } } },
            enable_thinking: { type: 'boolean', description: 'return the evidence chain in reasoning_content' },
            return_reasoning: { type: 'boolean', description: 'same as enable_thinking' },
            response_format: { type: 'object', properties: { type: { enum: ['text', 'json_object', 'json_schema'] } }, description: 'json_*: the Diagnosis as the content' },
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/chat/completions': {
        post: {
          summary: 'OpenAI Chat Completions over what the machine shows and sounds like',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ChatRequest' } } } },
          responses: {
            200: { description: 'chat.completion (or text/event-stream of chat.completion.chunk, ending data: [DONE]); choices[0].faultsense is the Diagnosis' },
            400: errorResponse('bad content part or body'), 401: errorResponse('no or wrong bearer token'), 404: errorResponse('unknown model'),
            413: errorResponse('body over api.bodyLimit'), 429: errorResponse('queue full (api.maxConcurrent + api.maxQueued); see Retry-After'),
            503: errorResponse('code no_live_data: nothing captured yet; code pipeline_busy: the analysis stages did not pause within api.pipelineWaitMs; code analysis_worker_failed: the worker analysing the media crashed or hung and is being replaced; see Retry-After'),
          },
        },
      },
      '/v1/models': { get: { summary: 'the model ids (faultsense)', responses: { 200: { description: 'list of models' } } } },
      '/api/diagnose': {
        post: {
          summary: 'diagnose uploaded files', requestBody: {
            required: true,
            content: { 'multipart/form-data': { schema: { type: 'object', properties: { image: { type: 'string', format: 'binary' }, audio: { type: 'string', format: 'binary' }, question: { type: 'string' } } } } },
          },
          responses: { 200: { description: 'the Diagnosis', content: { 'application/json': { schema: { $ref: '#/components/schemas/Diagnosis' } } } }, 400: errorResponse('bad file'), 413: errorResponse('too large'), 429: errorResponse('queue full; see Retry-After'),
            503: errorResponse('code pipeline_busy: the analysis stages did not pause within api.pipelineWaitMs; code analysis_worker_failed: the worker analysing the media crashed or hung; see Retry-After') },
        },
      },
      '/api/diagnosis/latest': { get: { summary: 'the last published diagnosis', responses: { 200: { description: 'Diagnosis', content: { 'application/json': { schema: { $ref: '#/components/schemas/Diagnosis' } } } }, 404: errorResponse('none published yet') } } },
      '/api/events': { get: { summary: 'Server-Sent Events: event "diagnosis" per published diagnosis (the newest first)', responses: { 200: { description: 'text/event-stream' } } } },
      '/metrics': { get: { summary: 'Prometheus text format', responses: { 200: { description: 'text/plain; version=0.0.4' } } } },
      '/': { get: { summary: 'the status page (its files under /status/ too; no token: they hold no data)', security: [], responses: { 200: { description: 'text/html' } } } },
      '/api/snapshot': { get: { summary: 'the newest camera frame', responses: { 200: { description: 'image/jpeg' }, 503: errorResponse('no frame yet') } } },
      '/api/status': { get: { summary: 'what the status page shows: frame meta, findings with anomaly and OCR boxes, score history, the last 30 s of the microphone\'s log-mel spectrogram (bytes, base64), the models with their file, precision and provider, health, baseline mode, latest diagnosis', responses: { 200: { description: 'JSON' } } } },
      '/api/status/events': { get: { summary: 'Server-Sent Events for the status page: "status", then "tick" each second (with the spectrogram columns added since the last one), "diagnosis" per published diagnosis', responses: { 200: { description: 'text/event-stream' } } } },
      '/api/baseline/learn': {
        post: {
          summary: 'cmd/baseline-learn (as on MQTT): {action: start|stop|cancel|reset|status, seconds?}',
          responses: { 200: { description: '{ok, result}' }, 400: errorResponse('bad action or seconds'), 409: errorResponse('refused in this mode') },
        },
      },
      '/healthz': { get: { summary: 'alive', security: [], responses: { 200: { description: 'alive' } } } },
      '/readyz': { get: { summary: 'every component started', security: [], responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } } },
      '/openapi.json': { get: { summary: 'this document', security: [], responses: { 200: { description: 'OpenAPI 3.1' } } } },
      '/asyncapi.json': { get: { summary: 'the MQTT contract (topics, payload JSON Schemas, commands and their answers)', security: [], responses: { 200: { description: 'AsyncAPI 3.1' } } } },
    },
  };
}
