/**
 * https endpoints trust only the CA certificates an officer installed: a test
 * CA made with openssl signs the server's certificate; that CA succeeds, a
 * different CA (or none) is refused with model.tls and nothing is retried.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatClient, type ChatClientOptions } from '../../../../src/main/services/evals/model-client';
import { ok, startScriptedServer, type ScriptedServer } from './scripted-server';
import { rejection } from '../../../helpers/errors';

const API_KEY = 'sk-tls-test-0c1d2e3f4a5b6c7d';
let dir: string;
let caPem: string;
let otherCaPem: string;
let wrongHostCertServer: ScriptedServer;
let server: ScriptedServer;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-days', '2', '-subj', `/CN=${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

/** A server certificate for `san`, signed by the CA called `ca`. */
function makeServerCert(name: string, ca: string, san: string): { key: string; cert: string } {
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n`);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '1', '-sha384', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-model-tls-'));
  makeCa('model-ca');
  makeCa('other-ca');
  caPem = readFileSync(join(dir, 'model-ca.pem'), 'utf8');
  otherCaPem = readFileSync(join(dir, 'other-ca.pem'), 'utf8');
  server = await startScriptedServer(makeServerCert('server', 'model-ca', 'IP:127.0.0.1'));
  wrongHostCertServer = await startScriptedServer(makeServerCert('elsewhere', 'model-ca', 'DNS:models.elsewhere.example'));
});
afterAll(async () => {
  await server?.close();
  await wrongHostCertServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(over: Partial<ChatClientOptions>): ChatClientOptions {
  return {
    baseUrl: `${server.url}/v1`,
    model: 'test-model',
    apiKey: API_KEY,
    timeoutMs: 5_000,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10 },
    sleep: async () => {},
    ...over,
  };
}

const failure = rejection;

describe('chat client over https', () => {
  it('succeeds when the server chains to an installed CA', async () => {
    server.script(ok('Paris'));
    const c = createChatClient(options({ caCertificates: [otherCaPem, caPem] }));
    try {
      const r = await c.complete({ messages: [{ role: 'user', content: 'capital of France?' }] });
      expect(r.response.choices[0]!.message.content).toBe('Paris');
      expect(server.requests.at(-1)!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    } finally {
      c.close();
    }
  });

  it('refuses a server that chains to a different CA, without retrying or sending the key', async () => {
    server.requests.length = 0;
    server.script(ok());
    const c = createChatClient(options({ caCertificates: [otherCaPem] }));
    try {
      const e = await failure(c.complete({ messages: [{ role: 'user', content: 'hi' }] }));
      expect(e.code).toBe('model.tls');
      expect(e.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
      expect(e.message).toMatch(/install the provider's CA/);
      expect(e.detail).toMatchObject({ attempts: 1 });
      expect(server.requests).toHaveLength(0);
      expect(inspect(e, { showHidden: true, depth: 20 }) + JSON.stringify(e)).not.toContain(API_KEY);
    } finally {
      c.close();
    }
  });

  it('refuses a certificate from the installed CA that names another host', async () => {
    wrongHostCertServer.script(ok());
    const c = createChatClient(options({ baseUrl: `${wrongHostCertServer.url}/v1`, caCertificates: [caPem] }));
    try {
      const e = await failure(c.complete({ messages: [{ role: 'user', content: 'hi' }] }));
      expect(e.code).toBe('model.tls');
      expect(e.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(wrongHostCertServer.requests).toHaveLength(0);
    } finally {
      c.close();
    }
  });

  it("never uses Node's default trust: NODE_EXTRA_CA_CERTS trusting the server does not make the client accept it", async () => {
    server.requests.length = 0;
    server.script(ok());
    // jiti (a dependency of eslint and vite) runs the TypeScript fixture in a fresh Node process.
    const jitiCli = join(createRequire(import.meta.url).resolve('jiti/package.json'), '..', 'lib', 'jiti-cli.mjs');
    const run = (caFile: string) =>
      new Promise<{ defaultTrust: string; chatClient: string }>((resolve, reject) => {
        execFile(
          process.execPath,
          [jitiCli, join(import.meta.dirname, 'fixtures', 'tls-child.ts')],
          { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(dir, 'model-ca.pem'), MODEL_BASE_URL: `${server.url}/v1`, MODEL_CA_FILE: caFile }, timeout: 30_000 },
          (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
        );
      });
    // The process's default trust accepts the server (so the check below means something)…
    const withOtherCa = await run(join(dir, 'other-ca.pem'));
    expect(withOtherCa.defaultTrust).toBe('status 200');
    // …but the client, given only another CA, refuses it.
    expect(withOtherCa.chatClient).toBe('model.tls');
    // And with the right CA installed, the same child succeeds.
    expect((await run(join(dir, 'model-ca.pem'))).chatClient).toBe('ok');
  });

  it('refuses https with no installed CA, or one that is not a certificate, before any connection', () => {
    expect(() => createChatClient(options({ caCertificates: [] }))).toThrow(expect.objectContaining({ code: 'model.tls', message: expect.stringMatching(/no CA certificate is installed/) }));
    expect(() => createChatClient(options({ caCertificates: undefined }))).toThrow(expect.objectContaining({ code: 'model.tls' }));
    expect(() => createChatClient(options({ caCertificates: ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'] }))).toThrow(
      expect.objectContaining({ code: 'model.tls', message: expect.stringMatching(/CA certificate 1 .* is not a PEM certificate/) }),
    );
  });
});
