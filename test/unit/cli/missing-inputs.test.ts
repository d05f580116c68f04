/** Missing inputs are usage errors that say what to do, before any prompt or verdict. */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../../../src/main/cli/cli';
import { allCommands } from '../../../src/main/cli/commands';
import type { CliIO } from '../../../src/main/cli/command';

const root = path.resolve(__dirname, '../../..');

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  let prompted = 0;
  const io: CliIO = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: {},
    cwd: root,
    promptSecret: async () => {
      prompted++;
      return 'never used';
    },
  };
  return { io, out, err, prompted: () => prompted };
}
const program = { name: 'airlock', version: 't', commands: allCommands };

describe('missing inputs', () => {
  for (const argv of [
    ['vault', 'check', '--vault', '/nonexistent/vault'],
    ['vault', 'status', '--vault', '/nonexistent/vault'],
    ['vault', 'passwd', '--vault', '/nonexistent/vault'],
    ['trust', 'list', '--vault', '/nonexistent/vault'],
    ['import', 'resources/demo/bundles/demo-model-access.tar', '--vault', '/nonexistent/vault'],
  ]) {
    it(`${argv.slice(0, 2).join(' ')}: no vault → exit 2, no passphrase prompt`, async () => {
      const f = fakeIO();
      expect(await runCli(program, argv, f.io)).toBe(2);
      expect(f.prompted()).toBe(0);
      expect(f.err.join('')).toMatch(/There is no Airlock vault at \/nonexistent\/vault\. .*airlock vault init/);
    });
  }

  it('verify: a bundle path that does not exist → exit 2 and a one-line error, not a REJECTED report', async () => {
    const f = fakeIO();
    const code = await runCli(program, ['verify', 'nope.tar', '--anchors', 'resources/demo/anchors-and-crls.pem'], f.io);
    expect(code).toBe(2);
    expect(f.out).toEqual([]);
    expect(f.err.join('')).toBe('airlock: nope.tar does not exist. Check the path and that the removable medium is mounted. [io.not-found]');
  });
});
