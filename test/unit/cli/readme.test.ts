/**
 * The README's command-line section stays in step with the CLI: its syntax
 * reference is exactly the commands' usage lines, and the examples that
 * scripts/readme-examples.mjs runs (in .ci/run) are found with the exit codes
 * they document. Running them is that script's job (a fresh clone in CI).
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { allCommands } from '../../../src/main/cli/commands';
import { extractExamples } from '../../../scripts/readme-examples.mjs';

const root = path.resolve(__dirname, '../../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## The command line'), readme.indexOf('\n## ', readme.indexOf('## The command line') + 1));

describe('README: the command line', () => {
  it('lists every command with exactly its usage line, once', () => {
    const reference = section
      .split('\n')
      .filter((l) => /^ {4}airlock /.test(l))
      .map((l) => l.trim());
    expect(reference).toEqual(allCommands.map((c) => `airlock ${c.usage}`));
  });

  it('has runnable examples for the main commands, and names only files a fresh clone has', () => {
    const examples = extractExamples(readme) as { command: string; code: string; expect: number }[];
    expect(examples.length).toBeGreaterThanOrEqual(10);
    const used = new Set(examples.map((e) => e.code.split(/\s+/).slice(2, 4).filter((w) => !w.startsWith('-') && !w.includes('/')).join(' ')));
    for (const c of ['verify', 'import', 'trust add-anchor', 'trust add-crl', 'trust list', 'vault init', 'vault check']) expect(used).toContain(c);
    for (const e of examples) {
      for (const file of e.code.match(/resources\/demo\/[^\s]+/g) ?? []) {
        if (!file.includes('no-such')) expect(fs.existsSync(path.join(root, file)), `${file} (README: ${e.command})`).toBe(true);
      }
    }
  });

  it('reads the documented exit code from a trailing "# exit N" comment, 0 otherwise', () => {
    const ex = extractExamples(['    npx airlock a', '    npx airlock b  # exit 1: rejected', 'npx airlock c # already done', 'text npx airlock d', '`npx airlock`'].join('\n')) as {
      command: string;
      code: string;
      expect: number;
    }[];
    expect(ex.map((e) => [e.code, e.expect])).toEqual([
      ['npx airlock a', 0],
      ['npx airlock b', 1],
      ['npx airlock c', 0],
    ]);
    const documented = extractExamples(readme) as { expect: number }[];
    expect(new Set(documented.map((e) => e.expect))).toEqual(new Set([0, 1, 2]));
  });
});
