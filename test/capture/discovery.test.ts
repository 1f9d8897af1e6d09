import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  discoverDevices, parseArecordList, parseAsoundCards, parseAsoundPcm, parseV4l2ListDevices, videoDevicesFromGroups,
} from '../../src/capture/discovery.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = (name: string) => readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'discovery', name), 'utf8');

describe('V4L2 listing', () => {
  it('Raspberry Pi 4: offers the webcam, not the codec/ISP nodes', () => {
    const groups = parseV4l2ListDevices(fixture('v4l2-list-devices.rpi4.txt'));
    assert.deepEqual(groups.map((g) => g.name), ['bcm2835-codec-decode', 'bcm2835-isp', 'rpivid', 'HD Pro Webcam C920']);
    assert.deepEqual(groups[3], { name: 'HD Pro Webcam C920', bus: 'usb-0000:01:00.0-1.3', nodes: ['/dev/video0', '/dev/video1', '/dev/media4'] });
    const devices = videoDevicesFromGroups(groups);
    assert.equal(devices.length, 16);
    assert.deepEqual(devices.filter((d) => d.likelyCamera).map((d) => d.source), ['v4l2:/dev/video0']);
  });
  it('RK3588: the ISP main path and the USB camera are cameras, statistics nodes are not', () => {
    const devices = videoDevicesFromGroups(parseV4l2ListDevices(fixture('v4l2-list-devices.rk3588.txt')));
    assert.deepEqual(devices.filter((d) => d.likelyCamera).map((d) => [d.path, d.name]),
      [['/dev/video0', 'rkisp_mainpath'], ['/dev/video20', 'USB 2.0 Camera: USB Camera']]);
  });
});

describe('ALSA listing', () => {
  it('arecord -l on a Raspberry Pi 4', () => {
    const devs = parseArecordList(fixture('arecord-l.rpi4.txt'));
    assert.deepEqual(devs, [
      { card: 1, device: 0, cardId: 'Device', cardName: 'USB PnP Sound Device', deviceName: 'USB Audio', alsa: 'hw:1,0', source: 'alsa:plughw:1,0' },
      { card: 2, device: 0, cardId: 'Camera', cardName: 'Vimicro USB2.0 UVC Camera', deviceName: 'USB Audio', alsa: 'hw:2,0', source: 'alsa:plughw:2,0' },
    ]);
  });
  it('arecord -l on an RK3588 board and on a board without capture devices', () => {
    const devs = parseArecordList(fixture('arecord-l.rk3588.txt'));
    assert.deepEqual(devs.map((d) => [d.alsa, d.cardId, d.cardName]), [
      ['hw:1,0', 'rockchiphdmiin', 'rockchip,hdmiin'], ['hw:2,0', 'rockchipnau8822', 'rockchip-nau8822']]);
    assert.equal(devs[1]!.deviceName, 'dailink-multicodecs nau8822-hifi-0');
    assert.deepEqual(parseArecordList(fixture('arecord-l.none.txt')), []);
  });
  it('/proc/asound/cards and /proc/asound/pcm', () => {
    const cards = parseAsoundCards(fixture('asound-cards.rpi4.txt'));
    assert.deepEqual(cards.map((c) => [c.index, c.id, c.driver, c.name]), [
      [0, 'Headphones', 'bcm2835_headpho', 'bcm2835 Headphones'],
      [1, 'Device', 'USB-Audio', 'USB PnP Sound Device'],
      [2, 'Camera', 'USB-Audio', 'Vimicro USB2.0 UVC Camera']]);
    assert.match(cards[1]!.longName, /^C-Media Electronics Inc\. USB PnP Sound Device at usb-/);
    const pcm = parseAsoundPcm(fixture('asound-pcm.rpi4.txt'), cards);
    assert.deepEqual(pcm.map((d) => [d.alsa, d.cardId]), [['hw:1,0', 'Device'], ['hw:2,0', 'Camera']]);
  });
});

describe('discoverDevices', () => {
  it('reads /dev, sysfs and /proc under a root when the tools are not used', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'dev'));
    for (const n of ['video0', 'video1', 'video10']) writeFileSync(join(root, 'dev', n), '');
    for (const [n, name, index] of [['video0', 'USB Cam', '0'], ['video1', 'USB Cam', '1'], ['video10', 'bcm2835-codec-decode', '0']]) {
      mkdirSync(join(root, 'sys/class/video4linux', n!), { recursive: true });
      writeFileSync(join(root, 'sys/class/video4linux', n!, 'name'), `${name}\n`);
      writeFileSync(join(root, 'sys/class/video4linux', n!, 'index'), `${index}\n`);
    }
    mkdirSync(join(root, 'proc/asound'), { recursive: true });
    writeFileSync(join(root, 'proc/asound/cards'), fixture('asound-cards.rpi4.txt'));
    writeFileSync(join(root, 'proc/asound/pcm'), fixture('asound-pcm.rpi4.txt'));
    const report = await discoverDevices({ root });
    assert.deepEqual(report.video.map((v) => [v.path, v.likelyCamera]), [['/dev/video0', true], ['/dev/video1', false], ['/dev/video10', false]]);
    assert.deepEqual(report.audio.map((a) => a.source), ['alsa:plughw:1,0', 'alsa:plughw:2,0']);
    assert.equal(report.cards.length, 3);
  });
  it('on this machine: returns a report and never throws', async () => {
    const report = await discoverDevices();
    assert.ok(Array.isArray(report.video) && Array.isArray(report.audio) && Array.isArray(report.notes));
  });
});
