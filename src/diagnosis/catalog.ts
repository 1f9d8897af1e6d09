// The fault catalog: the machine's known faults and the signals that point to
// each. Loaded from YAML, validated like the configuration (a bad entry is a
// ConfigError naming its path, e.g. `faults[2].signals.alarmCodes[0]`), and
// compiled once so matching a finding is cheap.
import { z } from 'zod';
import { ConfigError, readYamlFile } from '../config/load.js';
import type { AcousticEvent, Severity } from '../types.js';
import { DEFAULT_STATUS_NAMES, DEFAULT_STATUS_WORDS, DEFAULT_UNITS } from '../config/sections/ocr-vocabulary.js';
import { catalogSpelling, cutsToken } from '../vision/alarm-codes.js';

export const UNKNOWN_ANOMALY_ID = 'unknown-anomaly';

const EVENT_TYPES = ['impulse', 'tonal', 'tonal-drift', 'noise-rise', 'level-step', 'dropout'] as const satisfies
  readonly AcousticEvent['type'][];

const alarmCodeSchema = z.string().min(1, 'expected an alarm code such as E-042 or a /regex/');

/** [low, high] with low < high. */
const rangeSchema = (what: string, min = -Infinity) => z.tuple([z.number().min(min), z.number().min(min)])
  .refine(([lo, hi]) => lo < hi, `expected [low, high] ${what} with low < high`);

const translationSchema = z.strictObject({
  title: z.string().min(1).optional(),
  repair: z.array(z.string().min(1)).optional(),
});

const faultSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected a lower-case id of a-z 0-9 . _ - (at most 64)'),
  title: z.string().min(1),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  signals: z.strictObject({
    alarmCodes: z.array(alarmCodeSchema).default([]),
    keywords: z.array(z.string().trim().min(1)).default([]),
    audio: z.strictObject({
      anomalyAbove: z.number().positive().optional(),
      events: z.array(z.enum(EVENT_TYPES)).default([]),
      /** Minimum event strength that counts as a match. */
      minStrength: z.number().min(0).default(0),
      /** Periodic impulses at this rate (Hz). */
      impulseRateHz: rangeSchema('in Hz', 0).optional(),
      /** Periodic impulses at this multiple of the catalog's shaftHz. */
      impulseOrder: rangeSchema('as multiples of shaftHz', 0).optional(),
      /** The listed events' energy lies in this band (Hz). */
      band: rangeSchema('in Hz', 0).optional(),
      /** A new tone in this range (Hz). */
      tonalHz: rangeSchema('in Hz', 0).optional(),
      /** A known tone drifted by this much (percent, signed). */
      driftPercent: rangeSchema('in percent').optional(),
      /** A broadband rise of the noise floor (at least an octave wide). */
      hissRise: z.boolean().optional(),
      /** Listed events (or `anomaly`) that point to this fault alone even though other faults list them too. */
      specific: z.array(z.enum([...EVENT_TYPES, 'anomaly'])).default([]),
    }).optional(),
    vision: z.strictObject({
      anomalyAbove: z.number().positive().optional(),
      roi: z.string().min(1).optional(),
    }).optional(),
  }),
  repair: z.array(z.string().min(1)).default([]),
  /** Fault ids or alarm codes that rule this fault out: it is never raised together with them. */
  excludes: z.array(z.string().min(1)).default([]),
  /** Title and repair steps in other languages, keyed by language (zh, de...). */
  translations: z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/, 'expected a language tag such as zh or pt-BR'), translationSchema).default({}),
  notes: z.string().optional(),
});

const unknownSchema = z.strictObject({
  title: z.string().min(1).default('Unrecognised anomaly'),
  severity: z.enum(['info', 'warning', 'critical']).default('warning'),
  repair: z.array(z.string().min(1)).default([
    'Inspect the machine at the flagged area; the pattern does not match any catalogued fault.',
    'If it is a new normal state, refit the baseline (faultsense baseline fit).',
  ]),
}).prefault({});

export const catalogSchema = z.strictObject({
  version: z.literal(1).default(1),
  machine: z.string().optional(),
  /** Rotation rate of the main shaft (Hz = rpm / 60); lets faults give impulse rates as orders of it. */
  shaftHz: z.number().positive().optional(),
  unknownAnomaly: unknownSchema,
  faults: z.array(faultSchema).min(1, 'the catalog lists no faults'),
});

type FaultEntry = z.infer<typeof faultSchema>;

/** One alarm-code pattern: a literal code (case-insensitive) or a regular expression. */
export interface AlarmPattern {
  source: string;
  literal?: string;
  regex?: RegExp;
}

export type Range = [number, number];

export interface AudioSpec {
  anomalyAbove?: number;
  events: AcousticEvent['type'][];
  minStrength: number;
  impulseRateHz?: Range;
  impulseOrder?: Range;
  band?: Range;
  tonalHz?: Range;
  driftPercent?: Range;
  hissRise?: boolean;
  specific: Array<AcousticEvent['type'] | 'anomaly'>;
}

export interface CatalogFault {
  id: string;
  title: string;
  severity: Exclude<Severity, 'ok'>;
  alarmCodes: AlarmPattern[];
  keywords: string[];
  audio?: AudioSpec;
  vision?: { anomalyAbove?: number; roi?: string };
  repair: string[];
  /** Never raised together with these faults or while these alarm codes are read. */
  excludes: { faults: string[]; alarms: AlarmPattern[] };
  translations: Record<string, { title?: string; repair?: string[] }>;
}

export interface FaultCatalog {
  machine?: string;
  shaftHz?: number;
  faults: CatalogFault[];
  unknownAnomaly: { title: string; severity: Exclude<Severity, 'ok'>; repair: string[] };
  /** Where it was loaded from, when it came from a file. */
  file?: string;
}

/** `faults[2].signals.alarmCodes[0]` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(top level)';
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return 'nothing';
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return node;
}

/** Parses "/E-04\d/i" into a RegExp; throws with the engine's reason when it does not compile. */
export function parseAlarmPattern(source: string): AlarmPattern {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(source);
  // Literals keep the catalog's spelling (reported as written) and match in any case.
  if (!m) return { source, literal: source.trim() };
  const flags = m[2]!;
  if (/[gy]/.test(flags)) throw new Error(`flag "${flags}" is not allowed (use i, u or s)`);
  return { source, regex: new RegExp(m[1]!, flags) };
}

function compileFault(f: FaultEntry, index: number, problems: string[], ids: ReadonlySet<string>, shaftHz?: number): CatalogFault {
  const alarmCodes: AlarmPattern[] = [];
  f.signals.alarmCodes.forEach((code, j) => {
    try {
      alarmCodes.push(parseAlarmPattern(code));
    } catch (err) {
      problems.push(`faults[${index}].signals.alarmCodes[${j}]: invalid regex ${code}: ${(err as Error).message}; ` +
        'write a literal code or a JavaScript regular expression between slashes, e.g. /^E-04\\d$/');
    }
  });
  const s = f.signals;
  const excludes: CatalogFault['excludes'] = { faults: [], alarms: [] };
  f.excludes.forEach((x, j) => {
    if (x === f.id) problems.push(`faults[${index}].excludes[${j}]: a fault cannot exclude itself`);
    else if (ids.has(x)) excludes.faults.push(x);
    else if (/^[a-z][a-z0-9._-]*$/.test(x)) {
      problems.push(`faults[${index}].excludes[${j}]: "${x}" is no fault id of this catalog; write a fault id or an alarm code as the display shows it (upper case, e.g. E-042)`);
    } else {
      try { excludes.alarms.push(parseAlarmPattern(x)); } catch (err) {
        problems.push(`faults[${index}].excludes[${j}]: invalid regex ${x}: ${(err as Error).message}`);
      }
    }
  });
  if (s.audio?.impulseOrder && shaftHz === undefined) {
    problems.push(`faults[${index}].signals.audio.impulseOrder: needs shaftHz at the top of the catalog (the shaft's rotation rate in Hz, rpm / 60), or give impulseRateHz instead`);
  }
  const a = s.audio;
  const hasSignal = alarmCodes.length > 0 || s.keywords.length > 0 ||
    (a !== undefined && (a.anomalyAbove !== undefined || a.events.length > 0 || a.impulseRateHz !== undefined ||
      a.impulseOrder !== undefined || a.tonalHz !== undefined || a.driftPercent !== undefined || a.hissRise === true)) ||
    (s.vision !== undefined && (s.vision.anomalyAbove !== undefined || s.vision.roi !== undefined));
  if (!hasSignal && f.signals.alarmCodes.length === 0) {
    problems.push(`faults[${index}].signals: fault "${f.id}" has no signal (give alarmCodes, keywords, audio or vision), so it could never match`);
  }
  return {
    id: f.id,
    title: f.title,
    severity: f.severity,
    alarmCodes,
    keywords: s.keywords,
    audio: s.audio,
    vision: s.vision,
    repair: f.repair,
    excludes,
    translations: f.translations,
  };
}

/** Validates and compiles an already-parsed catalog tree. `where` prefixes error messages (a file name). */
export function parseFaultCatalog(tree: unknown, where = 'fault catalog'): FaultCatalog {
  const result = catalogSchema.safeParse(tree);
  if (!result.success) {
    const lines = result.error.issues.map((iss) => {
      if (iss.code === 'unrecognized_keys') {
        return iss.keys.map((k) => `${formatPath([...iss.path, k])}: unknown key (see config/faults.example.yaml for the keys)`).join('\n');
      }
      const got = valueAt(tree, iss.path);
      let msg = iss.message;
      if (iss.code === 'invalid_type') msg = got === undefined ? `required value missing (expected ${iss.expected})` : `expected ${iss.expected}, got ${describe(got)}`;
      else if (iss.code === 'invalid_value') msg = `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(got)}`;
      else if (!/got /.test(msg)) msg = `${msg}, got ${describe(got)}`;
      return `${formatPath(iss.path)}: ${msg}`;
    });
    throw new ConfigError(`${where}: invalid fault catalog\n${lines.join('\n')}`);
  }
  const data = result.data;
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const ids = new Set(data.faults.map((f) => f.id));
  const faults = data.faults.map((f, i) => {
    const first = seen.get(f.id);
    if (first !== undefined) problems.push(`faults[${i}].id: duplicate id "${f.id}" (also faults[${first}]); ids must be unique`);
    else seen.set(f.id, i);
    if (f.id === UNKNOWN_ANOMALY_ID) problems.push(`faults[${i}].id: "${UNKNOWN_ANOMALY_ID}" is reserved for anomalies that match no fault; choose another id`);
    return compileFault(f, i, problems, ids, data.shaftHz);
  });
  if (problems.length > 0) throw new ConfigError(`${where}: invalid fault catalog\n${problems.join('\n')}`);
  return { machine: data.machine, shaftHz: data.shaftHz, faults, unknownAnomaly: data.unknownAnomaly };
}

/** A catalog with no known faults: only unknown anomalies (and unmatched alarm codes) can be reported. */
export function emptyCatalog(): FaultCatalog {
  return {
    faults: [],
    unknownAnomaly: {
      title: 'Unrecognised anomaly',
      severity: 'warning',
      repair: ['Look at the snapshot or listen to the audio clip attached to this diagnosis.',
        'Describe the machine\'s known faults in a fault catalog (diagnosis.faults) so they can be named.'],
    },
  };
}

/**
 * The one rule for the catalog's absence, used by the daemon and every command: the
 * catalog `file` names (diagnosis.faults / --faults), or, when none is named, the empty
 * catalog, with a warning through `warn` that only unknown anomalies can be reported.
 */
export function catalogFromConfig(file: string | undefined, warn?: (message: string) => void): FaultCatalog {
  if (file) return loadFaultCatalog(file);
  warn?.('no fault catalog configured (diagnosis.faults): only unknown anomalies can be reported');
  return emptyCatalog();
}

/** Reads and validates a catalog YAML file; every failure is a ConfigError (exit 2). */
export function loadFaultCatalog(file: string): FaultCatalog {
  const tree = readYamlFile(file, 'fault catalog');
  const catalog = parseFaultCatalog(tree, file);
  catalog.file = file;
  return catalog;
}

/** Upper-cases and repairs common OCR confusions inside codes (O→0, I/l→1 when next to digits). */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase()
    .replace(/(?<=\d|-)O|O(?=\d)/g, '0')
    .replace(/(?<=\d|-)[IL]|[IL](?=\d)/g, '1');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const escapeAll = (xs: readonly string[]): string => xs.map(escapeRegex).join('|');
/** A panel status or parameter line: a known name with a value (RUN 1450, TEMP: 72 C), or a state word alone (AUTO). */
const STATUS_LINE = new RegExp(`^(?:(?:${escapeAll(DEFAULT_STATUS_NAMES)})\\s*[:=]?\\s*(?:-?\\d+(?:[.,]\\d+)?\\s*(?:${escapeAll(DEFAULT_UNITS)})?|${escapeAll(DEFAULT_STATUS_WORDS)})?|${escapeAll(DEFAULT_STATUS_WORDS)})$`, 'i');

/** True for a line that is a status or parameter reading, which never stands for an alarm code. */
export function isStatusLine(line: string): boolean {
  return STATUS_LINE.test(line.trim().replace(/\s+/g, ' '));
}

/**
 * The codes of `pattern` found in what vision read: in its extracted alarm codes
 * (whole-code match) and in the OCR text lines (a literal must stand alone).
 * Status lines (RUN 1450, TEMP 72C) are not searched: a pattern such as
 * /\d{4}/ must not turn a speed reading into an alarm.
 */
export function findAlarmCodes(pattern: AlarmPattern, alarmCodes: readonly string[], allText: readonly string[]): string[] {
  const found = new Set<string>();
  const text = allText.filter((l) => !isStatusLine(l));
  if (pattern.literal !== undefined) {
    const lit = normalizeCode(pattern.literal);
    for (const c of alarmCodes) if (normalizeCode(c) === lit) found.add(pattern.literal);
    const re = new RegExp(`(^|[^A-Z0-9])${escapeRegex(lit)}($|[^A-Z0-9])`);
    for (const line of text) if (re.test(normalizeCode(line))) found.add(pattern.literal);
    return [...found];
  }
  // Displays do not keep letter case (seven segments draw b, d, r, u): match any case, report the catalog's spelling.
  const rx = pattern.regex!;
  const folded = new RegExp(rx.source, `${rx.flags.replace(/[gi]/g, '')}gi`);
  const exact = new RegExp(`^(?:${rx.source})$`, rx.flags.replace(/[gy]/g, ''));
  /** Matches in `s` that do not cut a word or a number in two (E\d{2,3} finds nothing in 5EE2087). */
  const matches = (s: string, whole: boolean): string[] => {
    const out: string[] = [];
    for (const m of s.matchAll(folded)) {
      if (m[0] === '') continue;
      const at = m.index ?? 0;
      if (!whole && cutsToken(s, at, at + m[0].length)) continue;
      out.push(catalogSpelling(exact, m[0]));
    }
    return out;
  };
  for (const c of alarmCodes) {
    const hits = matches(c.trim(), true);
    const use = hits.length ? hits : matches(normalizeCode(c), true);
    if (use.length) found.add(use[0]!);
    else if (rx.test('')) found.add(c.trim());
  }
  for (const line of text) {
    const hits = matches(line, false);
    const use = hits.length ? hits : matches(normalizeCode(line), false);
    if (use.length) found.add(use[0]!);
  }
  return [...found];
}
