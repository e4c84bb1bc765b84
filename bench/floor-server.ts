/**
 * The floor of this stack: a bare Fastify HTTPS server that parses the AdmissionReview and
 * answers allowed, nothing else (no engine, no logs, no metrics). What vllm-guard adds on top
 * is the ratio the bench prints. Usage: node floor-server.js PORT CERT KEY
 * @module
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const [portArg, certFile, keyFile] = process.argv.slice(2);
if (portArg === undefined || certFile === undefined || keyFile === undefined) {
  process.stderr.write('usage: floor-server PORT CERT KEY\n');
  process.exit(2);
}

// Same transport settings as the webhook (src/server/app.ts), so only the work differs.
const app = Fastify({
  logger: false,
  bodyLimit: 3 * 1024 * 1024,
  keepAliveTimeout: 120_000,
  requestTimeout: 30_000,
  https: { cert: readFileSync(certFile), key: readFileSync(keyFile), minVersion: 'TLSv1.2' },
});

app.post('/validate', (request, reply) => {
  const review = request.body as { request?: { uid?: unknown } } | null;
  const uid = review?.request?.uid;
  if (typeof uid !== 'string') {
    void reply.code(400).send({ error: 'ERR_INPUT', message: 'not an AdmissionReview' });
    return;
  }
  void reply.send({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, allowed: true } });
});
app.get('/readyz', (_request, reply) => {
  void reply.send({ status: 'ready' });
});

await app.listen({ port: Number(portArg), host: '127.0.0.1' });
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
