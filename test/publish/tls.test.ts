// TLS against mosquitto with certificates made by openssl for this test:
// CA + client certificate connects; a wrong CA or no client certificate is a clear error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MqttPublisher } from '../../src/publish/index.js';
import { requireProgram } from '../helpers/programs.js';
import { Collector, makeCerts, Mosquitto, sampleDiagnosis, sleep, testConfig } from './broker.js';

const D = 'faultsense/dev1';

test('TLS: CA and client certificate connect and deliver; wrong CA and missing client cert are named errors', async (t) => {
  if (!requireProgram(t, 'mosquitto') || !requireProgram(t, 'openssl')) return;
  const certs = makeCerts();
  const broker = await Mosquitto.start({ tls: certs });
  assert.match(broker.url, /^mqtts:/);

  const sub = await Collector.connect(broker.url, [`${D}/diagnosis`], {
    ca: readFileSync(certs.ca), cert: readFileSync(certs.clientCert), key: readFileSync(certs.clientKey),
  });
  const good = new MqttPublisher({ config: testConfig(broker.url, { tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } }) });
  await good.start();
  t.after(() => good.stop());
  assert.ok(await good.whenConnected(5000), `TLS connection failed: ${String(good.health().lastError)}`);
  const seq = good.publishDiagnosis(sampleDiagnosis());
  await sub.waitFor(() => sub.seqs(`${D}/diagnosis`).includes(seq), 5000, 'the diagnosis over TLS');

  const wrongCa = new MqttPublisher({
    config: testConfig(broker.url, { clientId: 'wrong-ca', tls: { ca: certs.otherCa, cert: certs.clientCert, key: certs.clientKey } }, 'dev2'),
  });
  await wrongCa.start();
  t.after(() => wrongCa.stop());
  const noCert = new MqttPublisher({ config: testConfig(broker.url, { clientId: 'no-cert', tls: { ca: certs.ca } }, 'dev3') });
  await noCert.start();
  t.after(() => noCert.stop());
  await sleep(1200);
  assert.equal(wrongCa.connected, false);
  assert.match(String(wrongCa.health().lastError), /certificate was rejected .*not signed by the CA in mqtt\.tls\.ca/);
  assert.ok(String(wrongCa.health().lastError).includes(certs.otherCa), 'names the CA file');
  assert.equal(noCert.connected, false);
  assert.match(String(noCert.health().lastError), /requires a client certificate; set mqtt\.tls\.cert and mqtt\.tls\.key/);
  assert.ok((noCert.health().failedAttempts as number) >= 2, 'and it keeps retrying');

  const missing = new MqttPublisher({ config: testConfig(broker.url, { tls: { ca: '/nonexistent/ca.pem' } }, 'dev4') });
  await Promise.all([good.stop(), wrongCa.stop(), noCert.stop()]);
  await assert.rejects(missing.start(), /mqtt\.tls\.ca: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/);
});
