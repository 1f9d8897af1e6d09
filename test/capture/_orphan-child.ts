// Run by orphans.test.ts as a stand-in daemon: starts capture children, prints
// their PIDs as one JSON line, then waits to be SIGKILLed.
import { CameraSource } from '../../src/capture/camera-source.js';
import { ClipRecorder } from '../../src/capture/clip-recorder.js';
import { MicrophoneSource } from '../../src/capture/microphone-source.js';
import { spawnInGroup } from '../../src/capture/process-group.js';
import { captureSchema } from '../../src/config/sections/capture.js';
import { camera, microphone, waitFor } from './_support.js';

const spool = process.argv[2]!;
const camCfg = camera({ source: 'lavfi:testsrc2=size=160x120:rate=10', width: 32, height: 24, fps: 10 });
const cam = new CameraSource(camCfg);
const mic = new MicrophoneSource(microphone({ source: 'lavfi:sine=frequency=440', windowSec: 0.5, hopSec: 0.5 }));
const clips = new ClipRecorder({ ...captureSchema.parse({ clips: { enabled: true, segmentSeconds: 2 } }).clips, dir: spool }, cam, camCfg);
await clips.start();
await cam.start();
await mic.start();
// A program that never exits by itself and writes nothing: only the lifeline can end it.
const sleeper = spawnInGroup('sleep', ['3600']);
await waitFor('sources online', () => cam.status().state === 'online' && mic.status().state === 'online' && clips.supervisor.pid !== undefined);
process.stdout.write(JSON.stringify({ camera: cam.supervisor.pid, microphone: mic.supervisor.pid, clips: clips.supervisor.pid, sleeper: sleeper.pid }) + '\n');
setInterval(() => undefined, 1000);
