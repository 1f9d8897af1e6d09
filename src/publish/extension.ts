// Parts that use the publisher's broker session for topics of their own (Home
// Assistant discovery): they subscribe through it, are told of every connect,
// and get the messages of their filters. One failing extension logs; the
// publisher and the other extensions go on.
export interface PublishOptions { qos: 0 | 1; retain: boolean }

/** The session as an extension sees it: publish while connected. */
export interface ExtensionLink {
  connected(): boolean;
  /** Resolves once the broker has the message (QoS 1) or it was written (QoS 0); rejects while disconnected. */
  publish(topic: string, payload: string | Buffer, opts: PublishOptions): Promise<void>;
}

export interface PublisherExtension {
  readonly name: string;
  /** Topic filters subscribed (QoS 1) on every connect. */
  readonly subscriptions: readonly string[];
  /** A session came up (first connect or reconnect). */
  onConnected(link: ExtensionLink): void | Promise<void>;
  /** A message on one of this extension's filters. */
  onMessage(topic: string, payload: Buffer, retained: boolean): void | Promise<void>;
}
