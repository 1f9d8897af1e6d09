// The topic tree of one device: <baseTopic>/<deviceId>/...

export type EvidenceKind = 'snapshot' | 'audio';

export class DeviceTopics {
  readonly root: string;

  constructor(baseTopic: string, readonly deviceId: string) {
    this.root = `${baseTopic.replace(/\/+$/, '')}/${deviceId}`;
  }

  get status(): string { return `${this.root}/status`; }
  get diagnosis(): string { return `${this.root}/diagnosis`; }
  get latestDiagnosis(): string { return `${this.root}/diagnosis/latest`; }
  get health(): string { return `${this.root}/health`; }
  /** Retained snapshot of fault states and live values (integrations.homeAssistant). */
  get state(): string { return `${this.root}/state`; }
  /** Reports of messages the outbox had to drop because it was full. */
  get outboxLoss(): string { return `${this.root}/outbox/loss`; }
  /** Subscription filter for every command. */
  get commandFilter(): string { return `${this.root}/cmd/+`; }
  evidence(diagnosisId: string, kind: EvidenceKind): string {
    return `${this.root}/evidence/${diagnosisId}/${kind}`;
  }
  /** Where a command answers when the request names no response topic. */
  commandResponse(name: string): string { return `${this.root}/cmd/${name}/response`; }

  /** The command name of a topic under cmd/, or undefined for any other topic. */
  commandName(topic: string): string | undefined {
    const prefix = `${this.root}/cmd/`;
    if (!topic.startsWith(prefix)) return undefined;
    const name = topic.slice(prefix.length);
    return name.length > 0 && !name.includes('/') ? name : undefined;
  }
}

/** Evidence ids become topic levels: keep them to characters that are safe there. */
export function safeTopicLevel(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128) || '_';
}
