// Signed offload messages: with offload.sharedKeyFile set on the board and its
// edge workers, every job, cancel and worker reply carries an HMAC-SHA256 of
// its topic and payload in the MQTT 5 user property `fs-sig`, and a message
// without a valid one is dropped. Chunks need none: the signed job carries the
// sha256 of the bytes. Without a key nothing is signed or checked (rely on
// broker ACLs then; see README "Security").
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { IPublishPacket } from 'mqtt';
import { BadInputError } from '../system/errors.js';

export const SIGNATURE_PROPERTY = 'fs-sig';
const MIN_KEY_BYTES = 16;

export class SharedKeyError extends BadInputError {}

/** Reads the shared key (surrounding white space ignored); throws SharedKeyError naming the file. */
export function loadSharedKey(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new SharedKeyError(`offload.sharedKeyFile ${file} cannot be read (${(err as Error).message}); ` +
      'create it with e.g. `openssl rand -hex 32 > FILE`, readable by the faultsense user only');
  }
  const key = Buffer.from(text, 'utf8');
  if (key.length < MIN_KEY_BYTES) {
    throw new SharedKeyError(`offload.sharedKeyFile ${file} holds ${key.length} bytes; use at least ${MIN_KEY_BYTES} ` +
      '(e.g. `openssl rand -hex 32`)');
  }
  return key;
}

export function signatureOf(key: Buffer, topic: string, payload: Buffer): string {
  return createHmac('sha256', key).update(topic, 'utf8').update('\n').update(payload).digest('hex');
}

/** MQTT 5 properties that carry the signature (empty when there is no key). */
export function signedProperties(key: Buffer | undefined, topic: string, payload: Buffer): { userProperties?: Record<string, string> } {
  return key ? { userProperties: { [SIGNATURE_PROPERTY]: signatureOf(key, topic, payload) } } : {};
}

/** True when no key is configured, or the packet carries the right signature for its topic and payload. */
export function verifySignature(key: Buffer | undefined, topic: string, payload: Buffer, packet: IPublishPacket): boolean {
  if (!key) return true;
  const raw = packet.properties?.userProperties?.[SIGNATURE_PROPERTY];
  const given = Array.isArray(raw) ? raw[0] : raw;
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/.test(given)) return false;
  const want = Buffer.from(signatureOf(key, topic, payload), 'hex');
  return timingSafeEqual(want, Buffer.from(given, 'hex'));
}
