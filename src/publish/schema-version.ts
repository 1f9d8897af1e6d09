// The version of the published MQTT contract (schema/mqtt/, src/integrations/contract*.ts),
// carried as `schemaVersion` in every JSON payload: MAJOR.MINOR, the minor number moves
// when fields are added, the major number when a field changes meaning or goes away.
export const MQTT_SCHEMA_VERSION = '1.0';
