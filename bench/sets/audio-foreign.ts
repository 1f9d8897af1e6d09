// Real sounds that are not the machine, for the audio development set:
// speech rendered by espeak-ng in several languages and voices, music
// synthesised by sox (plucked and sine melodies with chords), and the sound
// effects of the Debian package sound-theme-freedesktop (bells, alarms,
// shutters, phone rings). All decoded to 16 kHz mono floats by ffmpeg.
// Rendered sounds are cached under .tmp/ (keyed by their parameters).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../../test/fixtures/audio/synth.js';

const CACHE = join(process.cwd(), '.tmp', 'audio-devset-cache');
export const SOUND_EFFECTS_DIR = '/usr/share/sounds/freedesktop/stereo';

function cached(key: string, render: () => Buffer): Float32Array {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, createHash('sha1').update(key).digest('hex').slice(0, 16) + '.s16');
  let bytes: Buffer;
  if (existsSync(file)) bytes = readFileSync(file);
  else { bytes = render(); writeFileSync(file, bytes); }
  const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.length / 2));
  return Float32Array.from(pcm, (v) => v / 32768);
}

/** Decodes any audio (file path or bytes on stdin) to 16 kHz mono s16le with ffmpeg. */
function decode(input: string | Buffer): Buffer {
  const args = ['-hide_banner', '-loglevel', 'error', '-i', typeof input === 'string' ? input : 'pipe:0', '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1'];
  return execFileSync('ffmpeg', args, { input: typeof input === 'string' ? undefined : input, maxBuffer: 64 << 20 });
}

const SENTENCES: Record<string, string[]> = {
  en: ['Can you check the pressure on line two before the next batch starts?', 'I think the belt needs tightening, it was slipping this morning.', 'Lunch is at twelve, we will finish the changeover after that.'],
  de: ['Kannst du bitte den Druck an Linie zwei prüfen, bevor die nächste Charge beginnt?', 'Der Riemen muss nachgespannt werden, er ist heute Morgen gerutscht.'],
  fr: ['Peux-tu vérifier la pression sur la ligne deux avant le prochain lot?', 'La courroie doit être retendue, elle a glissé ce matin.'],
  es: ['¿Puedes revisar la presión en la línea dos antes del próximo lote?', 'Hay que tensar la correa, esta mañana estaba patinando.'],
  it: ['Puoi controllare la pressione sulla linea due prima del prossimo lotto?'],
  cmn: ['请在下一批开始之前检查二号线的压力。', '皮带需要张紧，今天早上打滑了。'],
  pl: ['Czy możesz sprawdzić ciśnienie na linii drugiej przed następną partią?'],
};
export const SPEECH_LANGUAGES = Object.keys(SENTENCES);

/** A sentence spoken by espeak-ng; voice, speed and pitch drawn from the seed. */
export function speech(seed: number): { samples: Float32Array; language: string } {
  const r = rng(seed * 13 + 1);
  const language = SPEECH_LANGUAGES[Math.floor(r() * SPEECH_LANGUAGES.length)]!;
  const list = SENTENCES[language]!;
  const text = list[Math.floor(r() * list.length)]!;
  const variant = ['', '+m3', '+f2', '+f4', '+m7'][Math.floor(r() * 5)]!;
  const speed = String(Math.round(130 + r() * 50));
  const pitch = String(Math.round(30 + r() * 40));
  const args = ['-v', language + variant, '-s', speed, '-p', pitch, '--stdout', text];
  const samples = cached(`espeak ${args.join(' ')}`, () => decode(execFileSync('espeak-ng', args, { maxBuffer: 64 << 20 })));
  return { samples, language };
}

const NOTES = [220, 247, 262, 294, 330, 349, 392, 440, 494, 523, 587, 659];

/** A short melody with chords rendered by sox synth. */
export function music(seed: number, seconds = 3): Float32Array {
  const r = rng(seed * 17 + 2);
  const tone = ['pluck', 'sine', 'triangle', 'square'][Math.floor(r() * 4)]!;
  const chain: string[] = [];
  let t = 0;
  while (t < seconds) {
    const d = [0.15, 0.25, 0.4][Math.floor(r() * 3)]!;
    const root = NOTES[Math.floor(r() * NOTES.length)]!;
    if (chain.length) chain.push(':');
    chain.push('synth', d.toFixed(2), tone, String(root), tone, String(Math.round(root * 1.26)), 'fade', '0.01', d.toFixed(2), '0.05');
    t += d;
  }
  const args = ['-n', '-r', '16000', '-c', '1', '-b', '16', '-t', 's16', '-', ...chain];
  return cached(`sox ${args.join(' ')}`, () => execFileSync('sox', args, { maxBuffer: 64 << 20 }));
}

/** Sound effects from sound-theme-freedesktop that are not spoken words. */
export function soundEffectFiles(): string[] {
  if (!existsSync(SOUND_EFFECTS_DIR)) {
    throw new Error(`${SOUND_EFFECTS_DIR} is missing: install the Debian package sound-theme-freedesktop (scripts/setup.sh does)`);
  }
  return readdirSync(SOUND_EFFECTS_DIR).filter((f) => f.endsWith('.oga') && !f.startsWith('audio-channel')).sort();
}

export function soundEffect(seed: number): { samples: Float32Array; name: string } {
  const files = soundEffectFiles();
  const name = files[Math.floor(rng(seed * 19 + 3)() * files.length)]!;
  const path = join(SOUND_EFFECTS_DIR, name);
  return { samples: cached(`sfx ${path}`, () => decode(path)), name };
}
