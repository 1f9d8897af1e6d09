// The MQTT sink's public surface for the composition root.
export { MqttPublisher, type MqttPublisherOptions, type HealthProvider, type StatusMessage } from './publisher.js';
export { bindCommand, builtinCommandSchemas, type CommandBinding, type CommandHandler, type CommandReply, type BuiltinArgs } from './commands.js';
export { DiagnosisOutbox } from './diagnosis-outbox.js';
export type { OutboxHealthStats as OutboxStats, LossReport } from './outbox.js';
export { JsonCodec, type PayloadCodec } from './codec.js';
