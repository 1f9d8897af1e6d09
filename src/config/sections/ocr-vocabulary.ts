// The panel reader's default vocabulary (analysis.ocr.grammar defaults): status
// names and words, alarm-code prefixes and units a line grammar expects on a
// machine panel when the configuration names none. Kept here so the
// configuration does not import the vision code that uses them.
export const DEFAULT_STATUS_NAMES = ['RUN', 'SPEED', 'SPD', 'RPM', 'TEMP', 'TMP', 'MODE', 'LOAD', 'SET', 'SV', 'PV', 'PRES', 'PRESS',
  'FREQ', 'HZ', 'AMP', 'CUR', 'VOLT', 'FLOW', 'LEVEL', 'LVL', 'POS', 'CNT', 'COUNT', 'TIME', 'FEED', 'TORQ', 'OUT', 'IN', 'STEP', 'PROG'];
export const DEFAULT_STATUS_WORDS = ['AUTO', 'MANUAL', 'MAN', 'READY', 'RDY', 'IDLE', 'STOP', 'RUN', 'ON', 'OFF', 'OK', 'HOLD', 'JOG', 'HOME', 'LOCAL', 'REMOTE', 'REM'];
export const DEFAULT_ALARM_PREFIXES = ['E', 'ER', 'ERR', 'A', 'AL', 'ALM', 'ALARM', 'F', 'FL', 'FLT', 'FAULT', 'H', 'C', 'P', 'U', 'L',
  'OC', 'OV', 'OH', 'OL', 'LU', 'UV', 'W', 'WARN', 'ERROR'];
export const DEFAULT_UNITS = ['C', '°C', 'F', '%', 'RPM', 'HZ', 'A', 'V', 'KW', 'BAR', 'PSI', 'MPA', 'KPA', 'S', 'MIN', 'H', 'MM', 'M/MIN', 'L/MIN'];
