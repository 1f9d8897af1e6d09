// Secrets kept out of every output: by key (a `password`, `token` ... field is
// replaced whatever it holds) and by value (credentials in a URL's userinfo, and
// every secret the configuration holds, wherever its text turns up again: an
// ffmpeg stderr line, an error message, a health field).

const SECRET_KEY = /pass(word)?|secret|token|private_?key|credential/i;
const MASK = '***';
/** scheme://user:password@ — the password part (user kept, so the line still says who). */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^\s/@:?#]*):([^\s/@?#]*)@/gi;

const known = new Set<string>();

/** True for a key whose value is a secret (`password`, `apiToken`, ...; not `password_file`). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !key.endsWith('_file') && !key.endsWith('File');
}

/** Remembers a secret so that redactText hides it wherever it appears (values shorter than 3 characters are too common to hide). */
export function registerSecret(value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string' || value.length < 3) return;
  known.add(value);
  // The same secret percent-encoded, as it stands in a URL.
  const encoded = encodeURIComponent(value);
  if (encoded !== value) known.add(encoded);
}

/** Registers every secret a configuration tree holds: values of secret keys, passwords in URLs. */
export function registerSecretsIn(tree: unknown, depth = 0): void {
  if (depth > 12 || tree === null || typeof tree !== 'object') return;
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    if (isSecretKey(k) && (typeof v === 'string' || typeof v === 'number')) registerSecret(v);
    else if (typeof v === 'string') for (const m of v.matchAll(URL_USERINFO)) registerSecret(safeDecode(m[3]!));
    else registerSecretsIn(v, depth + 1);
  }
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** Hides URL passwords and every registered secret in a text. */
export function redactText(text: string): string {
  let out = text.includes('://') ? text.replace(URL_USERINFO, (_m, scheme: string, user: string) => `${scheme}${user}:${MASK}@`) : text;
  for (const s of known) if (out.includes(s)) out = out.split(s).join(MASK);
  return out;
}

/**
 * A copy of a value with secret keys masked and secrets hidden in every string
 * (byKey: false masks by value only, for bodies whose keys are not settings).
 */
export function redactDeep(value: unknown, byKey = true, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, byKey, depth + 1));
  if (value instanceof Error) return { message: redactText(value.message), name: value.name };
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `<${(value as Uint8Array).byteLength} bytes>`;
  // Dates and other values with their own JSON form are redacted in that form.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return redactDeep(toJSON.call(value), byKey, depth + 1);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = byKey && isSecretKey(k) && v !== undefined && v !== null ? MASK : redactDeep(v, byKey, depth + 1);
  }
  return out;
}
