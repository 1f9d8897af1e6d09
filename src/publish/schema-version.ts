// The version of the published MQTT contract (schema/mqtt/, src/integrations/contract*.ts),
// carried as `schemaVersion` in every JSON payload: MAJOR.MINOR, the minor number moves
// when fields are added, the major number when a field changes meaning or goes away.
export const MQTT_SCHEMA_VERSION = '1.1';
//
// 1.0  the first published contract.
// 1.1  the Sparkplug B interface joins the contract (channels spBv1.0/..., their metrics with
//      types, the JSON held in Diagnosis/JSON, Outbox/Loss and Command/Result), with
//      integrations.sparkplug.mode instead; the JSON payloads' fields are unchanged.
