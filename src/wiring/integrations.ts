// The integrations' end of the pipeline: one DeviceStateModel fed by the
// published diagnoses and the live readings, shown to Home Assistant (MQTT
// discovery on the publisher's session: an extension the publisher is built
// with) and to Sparkplug B hosts (an edge node on a session of its own, built
// after the publisher, whose broker address it follows; with sparkplug.mode
// instead it carries the publisher's outbox and runs NCMD controls through the
// publisher's command router).
import type { Capture } from '../capture/index.js';
import type { Config } from '../config/schema.js';
import { UNKNOWN_ANOMALY_ID, type FaultCatalog } from '../diagnosis/catalog.js';
import { DeviceStateModel, type LiveReadings } from '../integrations/device-state.js';
import { HomeAssistantDiscovery } from '../integrations/home-assistant.js';
import { SparkplugEdgeNode } from '../integrations/sparkplug.js';
import type { SparkplugDevice } from '../integrations/sparkplug-metrics.js';
import type { MemoryGovernor } from '../memory/governor.js';
import type { FindingsJoin } from '../pipeline/findings-join.js';
import type { DiagnosisOutbox } from '../publish/diagnosis-outbox.js';
import type { PublisherExtension } from '../publish/extension.js';
import type { MqttPublisher } from '../publish/publisher.js';
import type { Component } from '../system/component.js';
import { packageVersion } from '../system/version.js';
import type { PublishedDiagnosis, SourceStatus } from '../types.js';

export interface IntegrationsOptions {
  config: Config;
  /** The publisher's outbox port: its topics, and its depth for the live readings. */
  outbox: DiagnosisOutbox;
  catalog: FaultCatalog;
  capture: Pick<Capture, 'camera' | 'microphone'>;
  join: FindingsJoin;
  governor: MemoryGovernor;
}

export interface Integrations {
  state: DeviceStateModel;
  /** Home Assistant discovery: a component, and an extension of the publisher's session. */
  homeAssistant: HomeAssistantDiscovery;
  /** Given to the publisher when it is built. */
  extensions: PublisherExtension[];
  /** Every published diagnosis, with its seq. */
  onDiagnosis: (d: PublishedDiagnosis) => void;
}

export function buildIntegrations(o: IntegrationsOptions): Integrations {
  const { config, outbox, capture } = o;
  const live = (): LiveReadings => {
    const d = o.join.lastDiagnosis;
    const sources = [capture.camera?.status(), capture.microphone?.status()].filter((s): s is SourceStatus => s !== undefined);
    return {
      vision: d?.modalities.vision, audio: d?.modalities.audio,
      confidences: Object.fromEntries((d?.faults ?? []).map((f) => [f.id, f.confidence])),
      sources, memoryLevel: o.governor.level, outboxDepth: outbox.stats()?.depth,
    };
  };
  const faults = [...o.catalog.faults.map((f) => ({ id: f.id, title: f.title, severity: f.severity })),
    { id: UNKNOWN_ANOMALY_ID, title: o.catalog.unknownAnomaly.title, severity: o.catalog.unknownAnomaly.severity }];
  const state = new DeviceStateModel(faults, live);
  const cmd = config.mqtt.commands;
  // Always added: when turned off it removes what an earlier run announced.
  const homeAssistant = new HomeAssistantDiscovery({
    config: config.integrations.homeAssistant, deviceId: config.deviceId, topics: outbox.topics, version: packageVersion(),
    stateDir: config.stateDir, state,
    modalities: [...(config.capture.camera ? ['vision' as const] : []), ...(config.capture.microphone && config.analysis.audio.enabled ? ['audio' as const] : [])],
    commandAllowed: (name) => cmd.enabled && (!cmd.allow || cmd.allow.includes(name)),
  });
  return { state, homeAssistant, extensions: [homeAssistant], onDiagnosis: (d) => state.onDiagnosis(d) };
}

export interface SparkplugOptions {
  config: Config;
  capture: Pick<Capture, 'camera' | 'microphone'>;
  state: DeviceStateModel;
  /** The plain session: its broker (the embedded broker's real address once started), its outbox and command router. */
  publisher: MqttPublisher;
}

/** The Sparkplug B edge node, when integrations.sparkplug.enabled. */
export function buildSparkplug(o: SparkplugOptions): Component | undefined {
  const { config, capture, publisher } = o;
  if (!config.integrations.sparkplug.enabled) return undefined;
  const cmd = config.mqtt.commands;
  const devices: SparkplugDevice[] = [
    ...(capture.camera ? [{ id: 'camera', source: capture.camera.name, modality: 'vision' as const }] : []),
    ...(capture.microphone ? [{ id: 'microphone', source: capture.microphone.name, modality: 'audio' as const }] : []),
  ];
  return new SparkplugEdgeNode({
    config: config.integrations.sparkplug, mqtt: config.mqtt, deviceId: config.deviceId, stateDir: config.stateDir, state: o.state, devices,
    version: packageVersion(), brokerUrl: () => publisher.url, protocolVersion: config.mqtt.url === 'embedded' ? 4 : undefined,
    // mode instead: this session carries the outbox; NCMD controls run diagnose-now / baseline-learn through the same policy.
    outbox: publisher.plainTopics ? undefined : publisher.outboxCarrier,
    commands: cmd.enabled ? (name, args) => publisher.invokeCommand(name, args) : undefined,
  });
}
