// Run by capture-pipe.test.ts in a fresh process whose FAULTSENSE_NATIVE_ADDON names a
// missing file: a camera must fall back to Node's stream and still deliver frames.
// Prints one JSON line: the reader, what the child's stdout is, and the first frames' hashes.
import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { CameraSource } from '../../src/capture/camera-source.js';
import { camera, waitFor } from './_support.js';

const [width, height, count] = process.argv.slice(2).map(Number) as [number, number, number];
const cam = new CameraSource(camera({ source: 'lavfi:testsrc2=size=320x240:rate=10', width, height, fps: 10 }), { pool: true });
const hashes: string[] = [];
cam.on('frame', (f) => { if (hashes.length < count) hashes.push(createHash('sha1').update(f.data).digest('hex')); });
await cam.start();
await waitFor('frames', () => hashes.length >= count, 20_000);
const stdout = readlinkSync(`/proc/${cam.supervisor.pid}/fd/1`);
const health = cam.health() as { reader: string };
await cam.stop();
await waitFor('buffers back in the pool', () => cam.pool!.stats().inUse === 0, 5000);
process.stdout.write(JSON.stringify({ reader: health.reader, stdout, hashes }) + '\n');
