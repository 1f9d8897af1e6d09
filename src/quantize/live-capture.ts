// `--calibrate-live SECONDS`: records calibration inputs from the configured
// camera (PNG frames, at most 2 a second) or microphone (one WAV per window)
// into a folder, which is then used like `--calibrate DIR` (no labels: the
// OCR gate compares text with fp32's).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureConfig } from '../config/sections/capture.js';
import { createFrameSource, encodeWav, MicrophoneSource } from '../capture/index.js';
import { BadInputError } from '../system/errors.js';
import { encodeFramePng } from '../vision/image.js';

export async function captureCalibrationInputs(
  kind: 'camera' | 'microphone', capture: CaptureConfig, seconds: number, dir: string, onProgress?: (n: number) => void,
): Promise<{ dir: string; files: number }> {
  mkdirSync(dir, { recursive: true });
  let files = 0;
  if (kind === 'camera') {
    if (!capture.camera) throw new BadInputError('--calibrate-live needs capture.camera in the configuration for OCR models');
    const source = createFrameSource(capture.camera, 'calibration-camera');
    let last = 0;
    const writes: Promise<void>[] = [];
    source.consume((frame) => {
      if (frame.ts - last < 500) return;
      last = frame.ts;
      const name = join(dir, `live-${String(files++).padStart(4, '0')}.png`);
      writes.push(encodeFramePng(frame).then((png) => writeFileSync(name, png)));
      onProgress?.(files);
    });
    await source.start();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await source.stop();
    await Promise.all(writes);
  } else {
    if (!capture.microphone) throw new BadInputError('--calibrate-live needs capture.microphone in the configuration for audio models');
    const mic = new MicrophoneSource(capture.microphone, { name: 'calibration-microphone' });
    mic.consume((w) => {
      writeFileSync(join(dir, `live-${String(files++).padStart(4, '0')}.wav`), encodeWav(w.samples, w.sampleRate));
      onProgress?.(files);
    });
    await mic.start();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    await mic.stop();
  }
  if (files < 3) throw new BadInputError(`--calibrate-live ${seconds}: only ${files} inputs were captured from the ${kind}; capture longer or check the source`);
  return { dir, files };
}
