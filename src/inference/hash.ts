// File integrity: sha256 of model files and optional ed25519 signatures.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Hex sha256 of a file, streamed (model files can be large). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const stream = createReadStream(file);
    stream.on('error', (err) => reject(new Error(`cannot read ${file}: ${err.message}`)));
    stream.on('data', (chunk) => hash.update(chunk));
    stream.on('end', () => resolve(hash.digest('hex')));
  });
}

export class IntegrityError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** Checks a file's sha256; throws naming the file and both hashes. */
export async function checkSha256(file: string, expected: string): Promise<void> {
  if (!existsSync(file)) throw new IntegrityError(file, `model file ${file} does not exist`);
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new IntegrityError(file, `model file ${file} is corrupt or was replaced: sha256 ${actual}, manifest expects ${expected}`);
  }
}

/**
 * Reads a model file once and checks the bytes read (sha256, and the ed25519
 * signature when a key is given); returns those same bytes, so what is loaded
 * is what was checked. A file swapped on disk after this call is never used.
 */
export async function readVerified(file: string, expected: string, signer?: { key: KeyObject; signature?: string }): Promise<Buffer> {
  if (!existsSync(file)) throw new IntegrityError(file, `model file ${file} does not exist`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new IntegrityError(file, `cannot read model file ${file}: ${(err as Error).message}`);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) {
    throw new IntegrityError(file, `model file ${file} is corrupt or was replaced: sha256 ${actual}, manifest expects ${expected}`);
  }
  if (signer) checkSignature(file, signer.key, signer.signature, bytes);
  return bytes;
}

/** Reads an ed25519 public key (PEM). */
export function loadPublicKey(pemFile: string): KeyObject {
  try {
    const key = createPublicKey(readFileSync(pemFile));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType} key, not ed25519`);
    return key;
  } catch (err) {
    throw new Error(`inference.signaturePublicKey ${pemFile} is not a usable ed25519 public key: ${(err as Error).message}`);
  }
}

/**
 * Verifies an ed25519 signature over a file's bytes (`bytes` when the caller
 * has read them already). The signature is given (base64) or read from
 * FILE.sig (raw 64 bytes or base64 text).
 */
export function checkSignature(file: string, key: KeyObject, signatureB64?: string, bytes?: Uint8Array): void {
  let sig: Buffer;
  if (signatureB64) {
    sig = Buffer.from(signatureB64, 'base64');
  } else if (existsSync(`${file}.sig`)) {
    const raw = readFileSync(`${file}.sig`);
    sig = raw.length === 64 ? raw : Buffer.from(raw.toString('utf8').trim(), 'base64');
  } else {
    throw new IntegrityError(file, `model file ${file} has no signature (no manifest signature, no ${file}.sig) but inference.signaturePublicKey requires one`);
  }
  if (!verify(null, bytes ?? readFileSync(file), key, sig)) {
    throw new IntegrityError(file, `model file ${file}: ed25519 signature does not match inference.signaturePublicKey`);
  }
}
