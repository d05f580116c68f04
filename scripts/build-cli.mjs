#!/usr/bin/env node
// Builds the `airlock` CLI into out/cli/ — `npm run build:cli`, and bin/airlock.mjs
// on first use or when the CLI's sources changed (no install script does it:
// npm 11's strict-allow-scripts refuses a root package's own prepare script
// when npx links the package).
//
// out/cli/.source-stamp records a fingerprint of the sources the build used
// (written by the stamp plugin in vite.cli.config.mts, so every build from
// that config records it): path, size and mtime of every file of the CLI's
// inputs — a few stat calls, no reading.
//
// Each build goes to a folder of its own under out/cli-builds/, and out/cli, a
// symbolic link, is switched to it atomically (see buildCli), so concurrent
// runs never see or leave a half-written or missing out/cli.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STAMP_FILE = '.source-stamp';

/** What the CLI build reads: its source trees and the files that configure the build. */
const INPUT_DIRS = ['src/main', 'src/shared'];
const INPUT_FILES = ['vite.cli.config.mts', 'scripts/vite-inline-worker.mts', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build-cli.mjs'];

/**
 * Fingerprint of the CLI's build inputs under root: one line per file with its
 * path, size and mtime. Kept as plain text and compared as a string: it costs
 * only stat calls (no hashing, so node:crypto is not loaded on every run).
 */
export function sourceStamp(root = repoRoot) {
  const lines = [];
  const add = (rel) => {
    const st = fs.statSync(`${root}/${rel}`, { throwIfNoEntry: false });
    // an absent optional input (e.g. no package-lock.json) counts by its absence
    if (st) lines.push(`${rel} ${st.size} ${st.mtimeMs}`);
  };
  for (const dir of INPUT_DIRS) {
    let entries = [];
    try {
      entries = fs.readdirSync(`${root}/${dir}`, { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    // plain string paths: path.join/relative cost more than the stat calls here
    const files = entries.filter((e) => e.isFile()).map((e) => `${e.parentPath.slice(root.length + 1)}/${e.name}`);
    for (const rel of files.sort()) add(rel);
  }
  for (const rel of INPUT_FILES) add(rel);
  return lines.join('\n');
}

/** The fingerprint a built CLI folder was made from, or undefined when it has none (or is not there). */
export function builtStamp(outDir) {
  try {
    return fs.readFileSync(path.join(outDir, STAMP_FILE), 'utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

export class CliBuildError extends Error {}

/** Where out/cli is for a repository root. */
export function cliOutDir(root = repoRoot) {
  return path.join(root, 'out', 'cli');
}

async function loadVite(root) {
  try {
    return await import('vite');
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new CliBuildError(
        `the command line must be built before its first use, and vite (a development dependency) is not installed. ` +
          `Run "npm ci" in ${root} (without --omit=dev), then run the command again.`,
      );
    }
    throw e;
  }
}

/** Builds live in out/cli-builds/<id>/; out/cli is a symbolic link to the current one. */
function buildsDir(outDir) {
  return `${outDir}-builds`;
}

/** Keep superseded builds this long: a CLI started from one still loads its per-command chunks from it. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;

/**
 * Build the CLI into a new folder of its own and switch outDir (a symbolic
 * link) to it with one rename(2), which replaces the link atomically: a
 * concurrent run sees the old build or the new one, never a partial or
 * missing one, and a CLI already running keeps loading its chunks from the
 * folder it started in (Node resolves the link when it loads the entry).
 * Returns the fingerprint of the sources built.
 */
export async function buildCli({ root = repoRoot, outDir = cliOutDir(root), logLevel = 'warn' } = {}) {
  const { build } = await loadVite(root);
  const builds = buildsDir(outDir);
  fs.mkdirSync(builds, { recursive: true });
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const dir = path.join(builds, id);
  try {
    await build({ configFile: path.join(root, 'vite.cli.config.mts'), root, logLevel, build: { outDir: dir, emptyOutDir: true } });
    const stamp = builtStamp(dir);
    if (!stamp) throw new CliBuildError(`the build did not record its source fingerprint (${STAMP_FILE}); is the stamp plugin in vite.cli.config.mts?`);
    publish(outDir, builds, id);
    removeOldBuilds(outDir, builds);
    return stamp;
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Point outDir at builds/id: a new link under a temporary name, renamed over the old link. */
function publish(outDir, builds, id) {
  const link = `${outDir}.link-${id}`;
  const target = process.platform === 'win32' ? path.join(builds, id) : path.join(path.basename(builds), id);
  fs.symlinkSync(target, link, process.platform === 'win32' ? 'junction' : 'dir');
  try {
    try {
      fs.renameSync(link, outDir);
    } catch (e) {
      // out/cli is a real folder (an earlier layout, or a plain `vite build` of the config): move it aside once
      if (!['EISDIR', 'ENOTEMPTY', 'EEXIST', 'EPERM'].includes(e.code)) throw e;
      fs.renameSync(outDir, path.join(builds, `replaced-${id}`));
      fs.renameSync(link, outDir);
    }
  } catch (e) {
    fs.rmSync(link, { force: true });
    throw e;
  }
}

/** Remove builds no longer linked once they are old enough that no CLI still runs from them. */
function removeOldBuilds(outDir, builds) {
  let current;
  try {
    current = path.basename(fs.realpathSync(outDir));
  } catch {
    return;
  }
  const cutoff = Date.now() - KEEP_OLD_BUILDS_MS;
  for (const name of fs.readdirSync(builds)) {
    if (name === current) continue;
    const p = path.join(builds, name);
    try {
      if (fs.statSync(p).mtimeMs < cutoff) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      /* removed by a concurrent run */
    }
  }
  // links left by a run killed between symlink and rename
  for (const name of fs.readdirSync(path.dirname(outDir))) {
    if (!name.startsWith(`${path.basename(outDir)}.link-`)) continue;
    const p = path.join(path.dirname(outDir), name);
    try {
      if (fs.lstatSync(p).mtimeMs < cutoff) fs.rmSync(p, { force: true });
    } catch {
      /* removed by a concurrent run */
    }
  }
}

/** Vite plugin (vite.cli.config.mts): records the fingerprint of the sources, taken when the build starts, in outDir. */
export function sourceStampPlugin(root = repoRoot) {
  let stamp;
  let outDir;
  return {
    name: 'airlock-cli-source-stamp',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    buildStart() {
      stamp = sourceStamp(root);
    },
    writeBundle() {
      fs.writeFileSync(path.join(outDir, STAMP_FILE), `${stamp}\n`);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href) {
  try {
    const t0 = Date.now();
    await buildCli();
    console.log(`airlock CLI built into ${path.relative(process.cwd(), cliOutDir()) || '.'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`build:cli: ${e instanceof CliBuildError ? e.message : e?.stack ?? e}`);
    process.exit(2);
  }
}
