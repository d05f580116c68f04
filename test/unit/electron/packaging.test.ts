import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../../..');
const builder = parse(readFileSync(path.join(root, 'electron.builder.yml'), 'utf8'));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('release packaging', () => {
  it('flips the Electron fuses that turn a signed app into a generic Node runtime off', () => {
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('unpacks nothing the app runs from the asar: worker code is bundled into main (only native modules stay loadable from disk)', () => {
    expect(builder.asarUnpack).toEqual(['**/*.node']);
    const mainBuild = readFileSync(path.join(root, 'electron.vite.config.mts'), 'utf8');
    expect(mainBuild).toMatch(/plugins: \[inlineWorker\(\)\]/);
    expect(mainBuild).not.toMatch(/hash-worker/);
  });

  it('never publishes or auto-updates (air gap), and packs into an asar', () => {
    expect(builder.publish).toBeNull();
    expect(builder.asar).toBe(true);
    expect(JSON.stringify(pkg.dependencies)).not.toMatch(/electron-updater/);
  });

  it('makes unreviewed npm install scripts an error and approves only the SQLite build', () => {
    expect(readFileSync(path.join(root, '.npmrc'), 'utf8')).toMatch(/^strict-allow-scripts=true$/m);
    const approved = Object.entries(pkg.allowScripts as Record<string, boolean>).filter(([, v]) => v).map(([k]) => k);
    expect(approved).toEqual(['better-sqlite3-multiple-ciphers']);
    expect(pkg.allowScripts.electron).toBe(false);
  });
});
