// How message bodies are encoded on the wire. JSON today; a Sparkplug B codec
// can implement the same interface later without touching the publisher.

export interface PayloadCodec {
  /** MQTT 5 content type announced with each message. */
  readonly contentType: string;
  encode(value: unknown): Buffer;
  /** Throws a PayloadDecodeError when the bytes are not a valid message. */
  decode(bytes: Buffer): unknown;
}

export class PayloadDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecodeError';
  }
}

export class JsonCodec implements PayloadCodec {
  readonly contentType = 'application/json';

  encode(value: unknown): Buffer {
    return Buffer.from(JSON.stringify(value), 'utf8');
  }

  decode(bytes: Buffer): unknown {
    const text = bytes.toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new PayloadDecodeError(`payload is not valid JSON (${(err as Error).message})`);
    }
  }
}
