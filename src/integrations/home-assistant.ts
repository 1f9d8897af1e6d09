// Home Assistant MQTT discovery (integrations.homeAssistant): the device appears
// in Home Assistant as one device, available while its status topic says online,
// with a problem binary_sensor per catalog fault, anomaly-score sensors, the
// latest diagnosis, memory level and outbox depth as diagnostics, and buttons
// that send the diagnose-now and baseline-learn commands. Every entity reads the
// retained <device>/state topic (DeviceStateModel), sent on every published
// diagnosis and whenever a live value changed.
//
// Discovery configs are retained and sent again on Home Assistant's birth
// message. The topics announced are recorded in <stateDir>; an entity no longer
// wanted (a fault removed from the catalog, the integration disabled) gets an
// empty retained config, which is how Home Assistant is told to remove it.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HomeAssistantConfig } from '../config/sections/integrations.js';
import type { ExtensionLink, PublisherExtension } from '../publish/extension.js';
import type { DeviceTopics } from '../publish/topics.js';
import type { Component } from '../system/component.js';
import { getLogger, type Logger } from '../system/logger.js';
import { MQTT_SCHEMA_VERSION } from './contract-schemas.js';
import type { DeviceStateModel } from './device-state.js';

export interface HomeAssistantOptions {
  config: HomeAssistantConfig;
  deviceId: string;
  topics: DeviceTopics;
  version: string;
  stateDir: string;
  state: DeviceStateModel;
  /** Modalities configured (an anomaly-score sensor each). */
  modalities: Array<'vision' | 'audio'>;
  /** Whether a command can be sent (mqtt.commands.enabled and .allow): its button only then. */
  commandAllowed: (name: string) => boolean;
  log?: Logger;
}

export interface DiscoveryMessage { topic: string; component: 'binary_sensor' | 'sensor' | 'button'; config: Record<string, unknown> }

const RECORD_FILE = 'home-assistant-discovery.json';
const slug = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');

export class HomeAssistantDiscovery implements PublisherExtension, Component {
  readonly name = 'home-assistant';
  readonly subscriptions: string[];
  private link: ExtensionLink | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastState = '';
  private readonly node: string;
  private readonly log: Logger;
  readonly counters = { announced: 0, removed: 0, statesSent: 0 };

  constructor(private readonly o: HomeAssistantOptions) {
    this.log = o.log ?? getLogger('home-assistant');
    this.node = `faultsense_${slug(o.deviceId)}`;
    this.subscriptions = o.config.enabled ? [o.config.birthTopic] : [];
    if (o.config.enabled) o.state.onChange(() => void this.sendState(true));
  }

  async start(): Promise<void> {
    if (!this.o.config.enabled) return;
    this.timer = setInterval(() => void this.sendState(false), this.o.config.stateIntervalSec * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  health(): Record<string, unknown> {
    return { enabled: this.o.config.enabled, entities: this.o.config.enabled ? this.discovery().length : 0, ...this.counters };
  }

  async onConnected(link: ExtensionLink): Promise<void> {
    this.link = link;
    if (this.o.config.enabled) {
      await this.announce();
      await this.sendState(true);
    } else {
      await this.removeAll();
    }
  }

  async onMessage(topic: string, payload: Buffer): Promise<void> {
    if (topic !== this.o.config.birthTopic || payload.toString('utf8').trim() !== 'online') return;
    this.log.info('Home Assistant came online: sending discovery again');
    await this.announce();
    await this.sendState(true);
  }

  /** Every discovery message of this configuration. */
  discovery(): DiscoveryMessage[] {
    const { o, node } = this;
    const stateTopic = o.topics.state;
    const device = {
      identifiers: [node], name: o.config.deviceName ?? `faultsense ${o.deviceId}`, manufacturer: 'faultsense',
      model: 'faultsense edge daemon', sw_version: o.version, ...(o.config.suggestedArea ? { suggested_area: o.config.suggestedArea } : {}),
    };
    const common = {
      device, origin: { name: 'faultsense', sw_version: o.version },
      availability: [{ topic: o.topics.status, value_template: "{{ 'online' if value_json.state == 'online' else 'offline' }}" }],
      qos: 1,
    };
    const out: DiscoveryMessage[] = [];
    const add = (component: DiscoveryMessage['component'], objectId: string, config: Record<string, unknown>) => {
      out.push({ topic: `${o.config.discoveryPrefix}/${component}/${node}/${objectId}/config`, component,
        config: { ...config, unique_id: `${node}_${objectId}`, ...common } });
    };
    for (const f of o.state.faults) {
      const key = JSON.stringify(f.id);
      add('binary_sensor', `fault_${slug(f.id)}`, {
        name: f.title, device_class: 'problem', state_topic: stateTopic, payload_on: 'ON', payload_off: 'OFF',
        value_template: `{{ 'ON' if value_json.faults[${key}].active else 'OFF' }}`,
        json_attributes_topic: stateTopic, json_attributes_template: `{{ value_json.faults[${key}] | tojson }}`,
      });
    }
    for (const m of o.modalities) {
      add('sensor', `anomaly_${m}`, {
        name: `${m === 'vision' ? 'Vision' : 'Audio'} anomaly score`, state_topic: stateTopic, state_class: 'measurement',
        suggested_display_precision: 2, icon: m === 'vision' ? 'mdi:camera-iris' : 'mdi:waveform',
        value_template: `{{ value_json.anomaly.${m} }}`,
      });
    }
    add('sensor', 'diagnosis', {
      name: 'Diagnosis', state_topic: stateTopic, icon: 'mdi:stethoscope',
      value_template: '{{ value_json.diagnosis.summary[:255] if value_json.diagnosis else None }}',
      json_attributes_topic: stateTopic, json_attributes_template: '{{ (value_json.diagnosis or {}) | tojson }}',
    });
    add('sensor', 'severity', {
      name: 'Severity', state_topic: stateTopic, device_class: 'enum', options: ['ok', 'info', 'warning', 'critical'],
      value_template: "{{ value_json.diagnosis.severity if value_json.diagnosis else 'ok' }}",
    });
    add('sensor', 'memory_level', {
      name: 'Memory level', state_topic: stateTopic, entity_category: 'diagnostic', device_class: 'enum',
      options: ['normal', 'pressure', 'critical'], value_template: '{{ value_json.memoryLevel }}', icon: 'mdi:memory',
    });
    add('sensor', 'outbox_depth', {
      name: 'Outbox depth', state_topic: stateTopic, entity_category: 'diagnostic', state_class: 'measurement',
      unit_of_measurement: 'messages', value_template: '{{ value_json.outboxDepth }}', icon: 'mdi:tray-full',
    });
    if (o.commandAllowed('diagnose-now')) {
      add('button', 'diagnose_now', { name: 'Diagnose now', command_topic: `${o.topics.root}/cmd/diagnose-now`, payload_press: '{}', retain: false, icon: 'mdi:stethoscope' });
    }
    if (o.commandAllowed('baseline-learn')) {
      add('button', 'learn_normal', {
        name: 'Learn normal', command_topic: `${o.topics.root}/cmd/baseline-learn`, payload_press: '{"action":"start"}', retain: false,
        entity_category: 'config', icon: 'mdi:school',
      });
    }
    return out;
  }

  /** Sends every discovery config (retained) and removes those of an earlier run that are no longer wanted. */
  private async announce(): Promise<void> {
    const link = this.link;
    if (!link) return;
    const messages = this.discovery();
    const wanted = new Set(messages.map((m) => m.topic));
    const stale = this.recorded().filter((t) => !wanted.has(t));
    this.record([...wanted, ...stale]);
    for (const m of messages) await link.publish(m.topic, JSON.stringify(m.config), { qos: 1, retain: true });
    for (const t of stale) await link.publish(t, '', { qos: 1, retain: true });
    this.record([...wanted]);
    this.counters.announced += 1;
    this.counters.removed += stale.length;
    this.log.info(`announced ${messages.length} entities to Home Assistant under ${this.o.config.discoveryPrefix}/+/${this.node}/` +
      (stale.length ? `; removed ${stale.length} no longer wanted` : ''));
  }

  /** Disabled: empty retained configs for everything an earlier run announced, and the state topic cleared. */
  private async removeAll(): Promise<void> {
    const link = this.link;
    const topics = this.recorded();
    if (!link || topics.length === 0) return;
    for (const t of topics) await link.publish(t, '', { qos: 1, retain: true });
    await link.publish(this.o.topics.state, '', { qos: 1, retain: true });
    rmSync(join(this.o.stateDir, RECORD_FILE), { force: true });
    this.counters.removed += topics.length;
    this.log.info(`integrations.homeAssistant is off: removed the ${topics.length} entities an earlier run announced`);
  }

  /** Sends the state when it changed (or always with force); retained so Home Assistant has it at once after a restart. */
  private async sendState(force: boolean): Promise<void> {
    const link = this.link;
    if (!link?.connected()) return;
    const { ts, ...rest } = this.o.state.snapshot();
    const text = JSON.stringify(rest);
    if (!force && text === this.lastState) return;
    this.lastState = text;
    try {
      await link.publish(this.o.topics.state, JSON.stringify({ schemaVersion: MQTT_SCHEMA_VERSION, ts, ...rest }), { qos: 1, retain: true });
      this.counters.statesSent += 1;
    } catch (err) {
      this.lastState = '';
      this.log.debug(`state not sent: ${(err as Error).message}`);
    }
  }

  private recorded(): string[] {
    const file = join(this.o.stateDir, RECORD_FILE);
    if (!existsSync(file)) return [];
    try {
      const topics = (JSON.parse(readFileSync(file, 'utf8')) as { topics?: unknown }).topics;
      return Array.isArray(topics) ? topics.filter((t): t is string => typeof t === 'string') : [];
    } catch (err) {
      this.log.warn(`${file} is unreadable (${(err as Error).message}); entities it listed are not removed`);
      return [];
    }
  }

  private record(topics: string[]): void {
    writeFileSync(join(this.o.stateDir, RECORD_FILE), JSON.stringify({ topics }, null, 1) + '\n');
  }
}
