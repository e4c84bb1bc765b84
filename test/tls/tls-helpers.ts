/** An HTTPS server and client for certificate tests: Node's TLS does the verifying. */
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveOverTls(pair: { certPem: string; keyPem: string }): Promise<TestServer> {
  const server = createServer({ cert: pair.certPem, key: pair.keyPem, minVersion: 'TLSv1.2' }, (_req, res) => {
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * GETs / from 127.0.0.1 with `caPem` as the only trusted root, verifying the certificate
 * for `servername` (SNI and host name check), as the kube-apiserver does for a Service.
 */
export async function fetchOverTls(
  port: number,
  servername: string | undefined,
  caPem: string,
  host = '127.0.0.1',
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        path: '/',
        ca: caPem,
        agent: false,
        ...(servername === undefined ? {} : { servername, headers: { host: servername } }),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
