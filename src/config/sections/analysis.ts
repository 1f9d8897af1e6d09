import { z } from 'zod';
import { DEFAULT_ALARM_PREFIXES, DEFAULT_STATUS_NAMES, DEFAULT_STATUS_WORDS, DEFAULT_UNITS } from './ocr-vocabulary.js';

export const roiSchema = z.strictObject({
  name: z.string().min(1),
  /** Pixel box in the camera frame. */
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  ocr: z.boolean().default(true),
});

export const analysisSchema = z.strictObject({
  /** How often a frame is analysed (the newest frame wins). */
  visionIntervalMs: z.number().int().positive().default(1000),
  /** Largest picture decoded from a file (width × height); larger ones are refused before decoding. */
  maxImagePixels: z.number().int().min(1).max(268_402_689).default(50_000_000),
  rois: z.array(roiSchema).default([]),
  ocr: z.strictObject({
    enabled: z.boolean().default(true),
    minConfidence: z.number().min(0).max(1).default(0.5),
    /** Run the 0°/180° orientation classifier on each text line (for panels mounted upside down). */
    orientation: z.boolean().default(false),
    /** Re-read unsure lines after display enhancement (invert LEDs, stretch contrast, join segments). */
    enhanceDisplays: z.boolean().default(true),
    /** Read the whole frame when no ROI has ocr: true. */
    wholeFrame: z.boolean().default(true),
    /** Text detection runs on the frame scaled so its longer side is at most this; lines are read from the full frame. */
    detectMaxSide: z.number().int().min(160).max(4096).default(960),
    /** Reuse the reading of a display crop unchanged since a recent frame. */
    reuseUnchanged: z.boolean().default(true),
    /**
     * A frame unchanged since text detection last ran on it (no 16×16 cell's mean grey moved by more than 4 levels)
     * reuses that detection's boxes for up to this many seconds; recognition still reads them. 0: detect every frame.
     */
    reuseBoxesSec: z.number().min(0).max(3600).default(10),
    /** What a display line can say: statuses and parameters (never alarms), and how far a grammar may bend a reading. */
    grammar: z.strictObject({
      maxCost: z.number().min(0).max(50).default(7),
      statusNames: z.array(z.string().min(1)).default([...DEFAULT_STATUS_NAMES]),
      statusWords: z.array(z.string().min(1)).default([...DEFAULT_STATUS_WORDS]),
      units: z.array(z.string().min(1)).default([...DEFAULT_UNITS]),
      alarmPrefixes: z.array(z.string().min(1)).default([...DEFAULT_ALARM_PREFIXES]),
    }).prefault({}),
  }).prefault({}),
  audio: z.strictObject({
    enabled: z.boolean().default(true),
    melBands: z.number().int().positive().default(64),
    vad: z.boolean().default(true),
    /** Silero VAD probability above which a 96 ms chunk counts as speech. */
    speechThreshold: z.number().min(0).max(1).default(0.6),
    /** Windows with more speech than this share get no anomaly score (people talking are not a fault). */
    maxSpeechForScore: z.number().min(0).max(1).default(0.5),
  }).prefault({}),
}).prefault({});
export type AnalysisConfig = z.infer<typeof analysisSchema>;
export type RoiConfig = z.infer<typeof roiSchema>;
