// The integrations' end of the pipeline: one DeviceStateModel fed by the
// published diagnoses and the live readings, shown to Home Assistant (MQTT
// discovery on the publisher's session) and to Sparkplug B hosts (an edge node
// on a session of its own, which carries the outbox with sparkplug.mode instead).
import type { Capture } from '../capture/index.js';
import type { Config } from '../config/schema.js';
import { UNKNOWN_ANOMALY_ID, type FaultCatalog } from '../diagnosis/catalog.js';
import { DeviceStateModel, type LiveReadings } from '../integrations/device-state.js';
import { HomeAssistantDiscovery } from '../integrations/home-assistant.js';
import { SparkplugEdgeNode } from '../integrations/sparkplug.js';
import type { SparkplugDevice } from '../integrations/sparkplug-metrics.js';
import type { MemoryGovernor } from '../memory/governor.js';
import type { FindingsJoin } from '../pipeline/findings-join.js';
import type { MqttPublisher } from '../publish/publisher.js';
import type { Component } from '../system/component.js';
import { packageVersion } from '../system/version.js';
import type { PublishedDiagnosis, SourceStatus } from '../types.js';

export interface IntegrationsOptions {
  config: Config;
  publisher: MqttPublisher;
  catalog: FaultCatalog;
  capture: Pick<Capture, 'camera' | 'microphone'>;
  join: FindingsJoin;
  governor: MemoryGovernor;
}

export interface Integrations {
  state: DeviceStateModel;
  components: Component[];
  /** Every published diagnosis, with its seq. */
  onDiagnosis: (d: PublishedDiagnosis) => void;
}

export function buildIntegrations(o: IntegrationsOptions): Integrations {
  const { config, publisher, capture } = o;
  const live = (): LiveReadings => {
    const d = o.join.lastDiagnosis;
    const sources = [capture.camera?.status(), capture.microphone?.status()].filter((s): s is SourceStatus => s !== undefined);
    return {
      vision: d?.modalities.vision, audio: d?.modalities.audio,
      confidences: Object.fromEntries((d?.faults ?? []).map((f) => [f.id, f.confidence])),
      sources, memoryLevel: o.governor.level, outboxDepth: publisher.outboxStats()?.depth,
    };
  };
  const faults = [...o.catalog.faults.map((f) => ({ id: f.id, title: f.title, severity: f.severity })),
    { id: UNKNOWN_ANOMALY_ID, title: o.catalog.unknownAnomaly.title, severity: o.catalog.unknownAnomaly.severity }];
  const state = new DeviceStateModel(faults, live);
  const cmd = config.mqtt.commands;
  // Always added: when turned off it removes what an earlier run announced.
  const homeAssistant = new HomeAssistantDiscovery({
    config: config.integrations.homeAssistant, deviceId: config.deviceId, topics: publisher.deviceTopics, version: packageVersion(),
    stateDir: config.stateDir, state,
    modalities: [...(config.capture.camera ? ['vision' as const] : []), ...(config.capture.microphone && config.analysis.audio.enabled ? ['audio' as const] : [])],
    commandAllowed: (name) => cmd.enabled && (!cmd.allow || cmd.allow.includes(name)),
  });
  publisher.addExtension(homeAssistant);
  const components: Component[] = [homeAssistant];
  if (config.integrations.sparkplug.enabled) {
    const devices: SparkplugDevice[] = [
      ...(capture.camera ? [{ id: 'camera', source: capture.camera.name, modality: 'vision' as const }] : []),
      ...(capture.microphone ? [{ id: 'microphone', source: capture.microphone.name, modality: 'audio' as const }] : []),
    ];
    components.push(new SparkplugEdgeNode({
      config: config.integrations.sparkplug, mqtt: config.mqtt, deviceId: config.deviceId, stateDir: config.stateDir, state, devices,
      version: packageVersion(), brokerUrl: () => publisher.url, protocolVersion: config.mqtt.url === 'embedded' ? 4 : undefined,
      // mode instead: this session carries the outbox; NCMD controls run diagnose-now / baseline-learn through the same policy.
      outbox: publisher.plainTopics ? undefined : publisher.outboxCarrier,
      commands: cmd.enabled ? (name, args) => publisher.invokeCommand(name, args) : undefined,
    }));
  }
  return { state, components, onDiagnosis: (d) => state.onDiagnosis(d) };
}
