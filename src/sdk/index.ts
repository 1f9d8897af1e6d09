// What `import ... from 'faultsense'` gives: the in-process query and the API client.
export { multimodalQuery, type MultimodalQuery, type QueryResult } from './query.js';
export { FaultsenseClient, FaultsenseApiError, type AskOptions, type ChatAnswer, type ChatDelta } from './client.js';
export type { MediaInput } from './media.js';
export type { Diagnosis, PublishedDiagnosis, FaultMatch, Severity, AcousticEvent, VisionFindings, AudioFindings } from '../types.js';
