// Home Assistant discovery checked against a second source besides the schemas
// written from its documentation (ha-discovery-schema.ts): the key names Home
// Assistant's own discovery code knows (its abbreviation tables, kept as a
// fixture in test/fixtures/home-assistant/). Every key faultsense sends, in the
// entity, its device, origin and availability entries, must be one of them, and
// so must every key the documentation-written schemas allow, so a key misspelt
// the same way in both the payload and the schema is still caught.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateConfig } from '../../src/config/load.js';
import { DeviceStateModel } from '../../src/integrations/device-state.js';
import { HomeAssistantDiscovery, type DiscoveryMessage } from '../../src/integrations/home-assistant.js';
import { DeviceTopics } from '../../src/publish/topics.js';
import { tempDir } from '../helpers/tmp.js';
import { haDiscoverySchemas } from './ha-discovery-schema.js';

interface Keys {
  entity: Record<string, string>; device: Record<string, string>; origin: Record<string, string>; availability: Record<string, string>;
  unabbreviated: { entity: string[]; device: string[] }; required: Record<DiscoveryMessage['component'], string[]>;
}
const keys = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/home-assistant/discovery-keys.json'), 'utf8')) as Keys;
const known = {
  entity: new Set([...Object.values(keys.entity), ...keys.unabbreviated.entity]),
  device: new Set([...Object.values(keys.device), ...keys.unabbreviated.device]),
  origin: new Set(Object.values(keys.origin)),
  availability: new Set(Object.values(keys.availability)),
};

/** Keys of one discovery config that Home Assistant's tables do not know, as paths. */
function unknownKeys(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  const check = (obj: unknown, set: Set<string>, path: string) => {
    for (const k of Object.keys((obj ?? {}) as object)) if (!set.has(k)) out.push(`${path}${k}`);
  };
  check(config, known.entity, '');
  check(config.device, known.device, 'device.');
  check(config.origin, known.origin, 'origin.');
  for (const [i, a] of ((config.availability ?? []) as unknown[]).entries()) check(a, known.availability, `availability[${i}].`);
  return out;
}

function discovery(): DiscoveryMessage[] {
  const stateDir = tempDir();
  const config = validateConfig({ deviceId: 'dev1', stateDir, integrations: { homeAssistant: { enabled: true, suggestedArea: 'Hall 2' } } });
  const state = new DeviceStateModel([{ id: 'belt-slip', title: 'Belt slip' }, { id: 'unknown-anomaly', title: 'Unknown anomaly' }]);
  return new HomeAssistantDiscovery({
    config: config.integrations.homeAssistant, deviceId: 'dev1', topics: new DeviceTopics('faultsense', 'dev1'), version: '9.9.9', stateDir, state,
    modalities: ['vision', 'audio'], commandAllowed: () => true,
  }).discovery();
}

test('every key of every discovery config is one Home Assistant\'s discovery tables know, with the required ones present', () => {
  const messages = discovery();
  assert.deepEqual([...new Set(messages.map((m) => m.component))].sort(), ['binary_sensor', 'button', 'sensor']);
  for (const m of messages) {
    assert.deepEqual(unknownKeys(m.config), [], m.topic);
    for (const k of keys.required[m.component]) assert.ok(k in m.config, `${m.topic}: ${k} is required for a ${m.component}`);
  }
});

test('the schemas written from the documentation only allow keys Home Assistant\'s tables know', () => {
  for (const [component, schema] of Object.entries(haDiscoverySchemas)) {
    const props = (schema as { properties: Record<string, { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } }> }).properties;
    const stray = [
      ...Object.keys(props).filter((k) => !known.entity.has(k)),
      ...Object.keys(props.device!.properties!).filter((k) => !known.device.has(k)).map((k) => `device.${k}`),
      ...Object.keys(props.origin!.properties!).filter((k) => !known.origin.has(k)).map((k) => `origin.${k}`),
      ...Object.keys(props.availability!.items!.properties!).filter((k) => !known.availability.has(k)).map((k) => `availability.${k}`),
    ];
    assert.deepEqual(stray, [], component);
  }
});

test('the key check is real: a misspelt key in the entity, its device or its availability is caught', () => {
  const [first] = discovery();
  const { state_topic: st, ...rest } = first!.config as Record<string, unknown>;
  assert.deepEqual(unknownKeys({ ...rest, stat_topic: st }), ['stat_topic']);
  assert.deepEqual(unknownKeys({ ...first!.config, device: { ...(first!.config.device as object), sw_ver: '1' } }), ['device.sw_ver']);
  assert.deepEqual(unknownKeys({ ...first!.config, availability: [{ topic: 'x', payload_availble: 'online' }] }), ['availability[0].payload_availble']);
});
