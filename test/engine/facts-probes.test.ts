import t from 'tap';
import { readProbe } from '../../src/engine/facts/probes.js';

const container = {
  ports: [{ name: 'http', containerPort: 8000 }, { name: 'metrics', containerPort: 9000 }],
  readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5 },
  livenessProbe: { tcpSocket: { port: 8000 }, initialDelaySeconds: 60, failureThreshold: 3, periodSeconds: 10 },
  startupProbe: { httpGet: { path: '/v1/models', port: 'nope' }, failureThreshold: 60 },
  execProbe: { exec: { command: ['true'] } },
  stringPort: { httpGet: { port: '8080' } },
  emptyProbe: {},
};

t.test('probes get Kubernetes defaults, resolved named ports and their time window', async (t) => {
  t.match(readProbe(container, 'readinessProbe'), { type: 'httpGet', path: '/health', port: 8000, portName: 'http', windowSeconds: 15 });
  t.match(readProbe(container, 'livenessProbe'), { type: 'tcpSocket', path: null, port: 8000, windowSeconds: 90 });
  t.match(readProbe(container, 'startupProbe'), { port: null, portName: 'nope', windowSeconds: 600 }, 'an unresolved named port is null');
  t.match(readProbe(container, 'execProbe'), { type: 'exec', port: null, windowSeconds: 30 });
  t.match(readProbe(container, 'stringPort'), { type: 'httpGet', path: '/', port: 8080 });
  t.match(readProbe(container, 'emptyProbe'), { type: 'none', port: null });
  t.equal(readProbe(container, 'missing'), null);
});
