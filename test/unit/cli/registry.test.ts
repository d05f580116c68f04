/** The lazy registry: each entry loads the implementation of the command it describes. */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { runCli } from '../../../src/main/cli/cli';
import { allCommands } from '../../../src/main/cli/commands';
import type { CliIO } from '../../../src/main/cli/command';
import { identityCommands } from '../../../src/main/cli/commands/identity';
import { importCommand } from '../../../src/main/cli/commands/import';
import { trustCommands } from '../../../src/main/cli/commands/trust';
import { vaultCommands } from '../../../src/main/cli/commands/vault';
import { verifyCommand } from '../../../src/main/cli/commands/verify';

const root = path.resolve(__dirname, '../../..');
const implementations = [verifyCommand, importCommand, ...trustCommands, ...identityCommands, ...vaultCommands];

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: root, promptSecret: () => Promise.reject(new Error('no prompt in this test')) };
  return { io, out, err };
}

describe('the command registry', () => {
  it('lists every implemented command once, with the implementation’s words, usage and options', () => {
    expect(allCommands.map((c) => c.path.join(' ')).sort()).toEqual(implementations.map((c) => c.path.join(' ')).sort());
    for (const impl of implementations) {
      const entry = allCommands.find((c) => c.path.join(' ') === impl.path.join(' '))!;
      expect({ summary: entry.summary, usage: entry.usage, options: entry.options }).toEqual({ summary: impl.summary, usage: impl.usage, options: impl.options });
    }
  });

  // With no arguments every command fails with its own usage line: the loader reached that command's run().
  for (const command of allCommands) {
    it(`${command.path.join(' ')}: runs its own implementation (usage error names "${command.usage.split(' ').slice(0, 3).join(' ')}…")`, async () => {
      const f = fakeIO();
      expect(await runCli({ name: 'airlock', version: 't', commands: allCommands }, [...command.path], f.io)).toBe(2);
      expect(f.err.join('\n')).toContain(`airlock ${command.usage}`);
    });
  }
});
