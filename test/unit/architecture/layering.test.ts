/**
 * The layering rule is enforced by ESLint (eslint.config.mjs). These tests lint
 * small sources as if they lived at real paths, so breaking the config fails CI.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import path from 'node:path';

const eslint = new ESLint({ cwd: path.resolve(__dirname, '../../..') });

async function restrictedImportErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

async function ruleErrors(code: string, filePath: string, rule: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('layering inside src/main', () => {
  it('fails when code outside a feature reaches into its internals, and names the entry to use', async () => {
    const errors = await ruleErrors("import { TrustStore } from '../../services/trust/trust-store';\nexport const v = TrustStore;\n", 'src/main/ipc/handlers/x.ts', 'airlock/feature-boundaries');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/internals of the trust feature .*Import '\.\.\/\.\.\/services\/trust'/);
    const fromService = await ruleErrors("import { parseSums } from '../bundles/sums';\nexport const v = parseSums;\n", 'src/main/services/intake/x.ts', 'airlock/feature-boundaries');
    expect(fromService).toHaveLength(1);
  });

  it('allows a feature entry (index.ts) and imports within one feature', async () => {
    expect(await ruleErrors("import { TrustStore } from '../../services/trust';\nexport const v = TrustStore;\n", 'src/main/ipc/handlers/x.ts', 'airlock/feature-boundaries')).toEqual([]);
    expect(await ruleErrors("import { TrustStore } from '../trust/index';\nexport const v = TrustStore;\n", 'src/main/services/intake/x.ts', 'airlock/feature-boundaries')).toEqual([]);
    expect(await ruleErrors("import { parseSums } from './sums';\nexport const v = parseSums;\n", 'src/main/services/bundles/x.ts', 'airlock/feature-boundaries')).toEqual([]);
  });

  it('fails when domain code imports the IPC contract, the IPC layer, the CLI or the glue', async () => {
    const cases: [string, RegExp][] = [
      ["import { CONTRACT } from '../../../shared/ipc/contract';", /IPC contract/],
      ["import type { EventName } from '../../../shared/ipc/channels';", /IPC contract/],
      ["import { IpcRouter } from '../../ipc/router';", /IPC layer/],
      ["import { runCli } from '../../cli/cli';", /command line/],
      ["import { mainWindowOptions } from '../../electron/window-options';", /Electron glue/],
    ];
    for (const [line, why] of cases) {
      const errors = await ruleErrors(`${line}\nexport const v = 1;\n`, 'src/main/services/trust/x.ts', 'airlock/domain-without-ipc');
      expect(errors, line).toHaveLength(1);
      expect(errors[0]).toMatch(why);
    }
    // The IPC layer itself may import the contract.
    expect(await ruleErrors("import { CONTRACT } from '../../shared/ipc/contract';\nexport const v = CONTRACT;\n", 'src/main/ipc/x.ts', 'airlock/domain-without-ipc')).toEqual([]);
  });

  it('the real source tree keeps both rules', async () => {
    const results = await eslint.lintFiles(['src/main']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId?.startsWith('airlock/')).map((m) => `${path.relative(process.cwd(), r.filePath)}:${m.line} ${m.message}`),
    );
    expect(violations).toEqual([]);
  });
});

describe('layering lint rule', () => {
  it('fails when a service imports an electron value', async () => {
    const errors = await restrictedImportErrors("import { app } from 'electron';\nexport const v = app;\n", 'src/main/services/vault/leak.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/Only src\/main\/electron/);
  });

  it('allows type-only electron imports in services', async () => {
    const errors = await restrictedImportErrors("import type { App } from 'electron';\nexport type A = App;\n", 'src/main/services/vault/ok.ts');
    expect(errors).toEqual([]);
  });

  it('allows electron values in the glue and the preload', async () => {
    for (const file of ['src/main/electron/extra.ts', 'src/preload/extra.ts']) {
      expect(await restrictedImportErrors("import { app } from 'electron';\nexport const v = app;\n", file)).toEqual([]);
    }
  });

  it('fails when the renderer imports a Node built-in, with or without node: prefix', async () => {
    for (const mod of ['node:fs', 'fs', 'child_process']) {
      const errors = await restrictedImportErrors(`import * as m from '${mod}';\nexport const v = m;\n`, 'src/renderer/screens/x.tsx');
      expect(errors, mod).toHaveLength(1);
    }
  });

  it('fails when shared code imports Node or electron, or the renderer reaches into main', async () => {
    expect(await restrictedImportErrors("import { readFile } from 'node:fs/promises';\nexport const v = readFile;\n", 'src/shared/x.ts')).toHaveLength(1);
    expect(await restrictedImportErrors("import { app } from 'electron';\nexport const v = app;\n", 'src/shared/x.ts')).toHaveLength(1);
    expect(
      await restrictedImportErrors("import { Vault } from '../../main/services/vault';\nexport const v = Vault;\n", 'src/renderer/screens/x.tsx'),
    ).toHaveLength(1);
  });

  it('the real source tree has no violations', async () => {
    const results = await eslint.lintFiles(['src']);
    const violations = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(violations).toEqual([]);
  });
});
