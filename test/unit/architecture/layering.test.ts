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
