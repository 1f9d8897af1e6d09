// JSON Schemas of Home Assistant's MQTT discovery payloads for the component
// types faultsense announces, written from Home Assistant's documentation
// (integrations/mqtt: "MQTT Discovery", and the binary_sensor.mqtt, sensor.mqtt
// and button.mqtt pages): the documented keys only (additionalProperties false
// catches a misspelt key, which Home Assistant would reject), the required
// ones, and the documented value sets.

const template = { type: 'string', minLength: 1 };
const topic = { type: 'string', minLength: 1, not: { pattern: '[#+]' } };

const device = {
  type: 'object', additionalProperties: false, minProperties: 1,
  properties: {
    configuration_url: { type: 'string' }, connections: { type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 } },
    hw_version: { type: 'string' }, identifiers: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
    manufacturer: { type: 'string' }, model: { type: 'string' }, model_id: { type: 'string' }, name: { type: 'string' },
    serial_number: { type: 'string' }, suggested_area: { type: 'string' }, sw_version: { type: 'string' }, via_device: { type: 'string' },
  },
  // A device needs an identifier or a connection to be a device in the registry.
  anyOf: [{ required: ['identifiers'] }, { required: ['connections'] }],
};

const origin = {
  type: 'object', additionalProperties: false, required: ['name'],
  properties: { name: { type: 'string', minLength: 1 }, sw_version: { type: 'string' }, support_url: { type: 'string' } },
};

const availabilityItem = {
  type: 'object', additionalProperties: false, required: ['topic'],
  properties: { topic, payload_available: { type: 'string' }, payload_not_available: { type: 'string' }, value_template: template },
};

/** Keys every MQTT entity may carry. */
const entityKeys = {
  availability: { type: 'array', items: availabilityItem, minItems: 1 },
  availability_mode: { enum: ['all', 'any', 'latest'] },
  availability_template: template, availability_topic: topic,
  payload_available: { type: 'string' }, payload_not_available: { type: 'string' },
  device, origin,
  enabled_by_default: { type: 'boolean' }, encoding: { type: 'string' },
  entity_category: { enum: ['config', 'diagnostic'] }, entity_picture: { type: 'string' },
  icon: { type: 'string', pattern: '^[a-z]+:[a-z0-9-]+$' },
  json_attributes_template: template, json_attributes_topic: topic,
  name: { type: ['string', 'null'] }, object_id: { type: 'string', pattern: '^[a-z0-9_]+$' }, default_entity_id: { type: 'string' },
  qos: { enum: [0, 1, 2] }, unique_id: { type: 'string', minLength: 1 },
};

const BINARY_SENSOR_CLASSES = ['battery', 'battery_charging', 'carbon_monoxide', 'cold', 'connectivity', 'door', 'garage_door', 'gas', 'heat',
  'light', 'lock', 'moisture', 'motion', 'moving', 'occupancy', 'opening', 'plug', 'power', 'presence', 'problem', 'running', 'safety',
  'smoke', 'sound', 'tamper', 'update', 'vibration', 'window'];
const SENSOR_CLASSES = ['date', 'enum', 'timestamp', 'apparent_power', 'aqi', 'atmospheric_pressure', 'battery', 'carbon_dioxide',
  'carbon_monoxide', 'current', 'data_rate', 'data_size', 'distance', 'duration', 'energy', 'frequency', 'gas', 'humidity', 'illuminance',
  'irradiance', 'moisture', 'monetary', 'power', 'power_factor', 'pressure', 'reactive_power', 'signal_strength', 'sound_pressure', 'speed',
  'temperature', 'voltage', 'volume', 'water', 'weight', 'wind_speed'];

export const haDiscoverySchemas: Record<'binary_sensor' | 'sensor' | 'button', Record<string, unknown>> = {
  binary_sensor: {
    type: 'object', additionalProperties: false, required: ['state_topic'],
    properties: {
      ...entityKeys, state_topic: topic, device_class: { enum: BINARY_SENSOR_CLASSES }, expire_after: { type: 'integer', minimum: 0 },
      force_update: { type: 'boolean' }, off_delay: { type: 'integer', minimum: 0 }, payload_off: { type: 'string' }, payload_on: { type: 'string' },
      value_template: template,
    },
  },
  sensor: {
    type: 'object', additionalProperties: false, required: ['state_topic'],
    properties: {
      ...entityKeys, state_topic: topic, device_class: { enum: SENSOR_CLASSES }, expire_after: { type: 'integer', minimum: 0 },
      force_update: { type: 'boolean' }, last_reset_value_template: template, options: { type: 'array', items: { type: 'string' }, minItems: 1 },
      state_class: { enum: ['measurement', 'measurement_angle', 'total', 'total_increasing'] },
      suggested_display_precision: { type: 'integer', minimum: 0 }, unit_of_measurement: { type: 'string' }, value_template: template,
    },
    // "options": only with device_class enum, which takes neither a state_class nor a unit.
    allOf: [
      { if: { required: ['device_class'], properties: { device_class: { const: 'enum' } } },
        then: { required: ['options'], not: { anyOf: [{ required: ['state_class'] }, { required: ['unit_of_measurement'] }] } },
        else: { not: { required: ['options'] } } },
    ],
  },
  button: {
    type: 'object', additionalProperties: false, required: ['command_topic'],
    properties: {
      ...entityKeys, command_topic: topic, command_template: template, device_class: { enum: ['identify', 'restart', 'update'] },
      payload_press: { type: 'string' }, retain: { type: 'boolean' },
    },
  },
};
