/**
 * Opening a bundle (tar file or directory) into a validated list of files
 * with byte ranges, without reading any file content except magic bytes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { ContainerError, scanTar } from './tar';
import { foldKey, pathProblem } from './paths';

export { ContainerError };

export const SUMS = 'SHA384SUMS';
export const SIG = 'SHA384SUMS.p7s';
export const META = 'bundle.json';

export interface BundleFile {
  path: string;
  size: number;
  /** The file holding the bytes (the tar, or the file itself in directory form). */
  file: string;
  offset: number;
  /** Directory form: identity captured at walk time; the hash worker re-checks it. */
  ino?: number;
  dev?: number;
}

export interface OpenedBundle {
  kind: 'tar' | 'directory';
  files: BundleFile[];
  /** Sum of file sizes. */
  bytes: number;
}

const MAGICS: [string, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['zip', [0x50, 0x4b, 0x05, 0x06]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['7z', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['lzip', [0x4c, 0x5a, 0x49, 0x50]],
];

function checkNames(entries: { path: string; type: 'file' | 'dir' }[]): void {
  const seen = new Map<string, string>();
  const files = new Set<string>();
  for (const e of entries) {
    const problem = pathProblem(e.path);
    if (problem) throw new ContainerError('container.path', `Path "${e.path.slice(0, 300)}" is not allowed: ${problem}.`, { path: e.path.slice(0, 300) });
    const k = foldKey(e.path);
    const prev = seen.get(k);
    if (prev !== undefined)
      throw new ContainerError('container.duplicate', prev === e.path ? `"${e.path}" appears twice.` : `"${e.path}" and "${prev}" are the same name compared case-insensitively.`, { path: e.path });
    seen.set(k, e.path);
    if (e.type === 'file') files.add(k);
  }
  for (const e of entries) {
    const segs = foldKey(e.path).split('/');
    for (let i = 1; i < segs.length; i++) {
      const parent = segs.slice(0, i).join('/');
      if (files.has(parent)) throw new ContainerError('container.duplicate', `"${e.path}" lies under "${parent}", which is a file.`, { path: e.path });
    }
  }
}

export async function openBundle(source: string): Promise<OpenedBundle> {
  let st;
  try {
    st = await fs.lstat(source);
  } catch (e) {
    throw new ContainerError('io.error', `Cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (st.isSymbolicLink()) throw new ContainerError('container.link', `${source} is a symbolic link; give the bundle's real path.`);
  if (st.isDirectory()) return openDirectory(source);
  if (!st.isFile()) throw new ContainerError('container.not-bundle', `${source} is neither a directory nor a regular file.`);
  const fh = await fs.open(source, 'r');
  const head = Buffer.alloc(512);
  try {
    await fh.read(head, 0, 512, 0);
  } finally {
    await fh.close();
  }
  for (const [name, sig] of MAGICS)
    if (sig.every((b, i) => head[i] === b)) throw new ContainerError('container.not-bundle', `${path.basename(source)} is a ${name} file; a bundle is an uncompressed tar or a directory.`);
  if (head[0] === 0x30 && st.size < 512) throw new ContainerError('container.not-bundle', `${path.basename(source)} is not a tar archive.`);
  if (head[0] === 0x30 && head.subarray(257, 262).toString('latin1') !== 'ustar')
    throw new ContainerError('container.not-bundle', `${path.basename(source)} looks like a DER/CMS file (an encrypted .tar.p7m?); decrypt it with openssl cms -decrypt first.`);
  if (st.size < 1024) throw new ContainerError('container.not-bundle', `${path.basename(source)} is too small to be a tar archive.`);
  const members = await scanTar(source, st.size);
  checkNames(members);
  const order = [SUMS, SIG, 'bundle.json'];
  for (let i = 0; i < 3; i++) {
    const m = members[i];
    if (!m || m.path !== order[i] || m.type !== 'file')
      throw new ContainerError('container.order', `Member ${i + 1} is ${m ? `"${m.path}"` : 'missing'}; the first three members must be SHA384SUMS, SHA384SUMS.p7s, bundle.json in that order (tar -cf b.tar SHA384SUMS SHA384SUMS.p7s bundle.json payload).`);
  }
  const files = members.filter((m) => m.type === 'file').map((m) => ({ path: m.path, size: m.size, file: source, offset: m.offset }));
  return { kind: 'tar', files, bytes: files.reduce((a, f) => a + f.size, 0) };
}

async function openDirectory(root: string): Promise<OpenedBundle> {
  const entries: { path: string; type: 'file' | 'dir' }[] = [];
  const files: BundleFile[] = [];
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    const names = (await fs.readdir(dir)).sort();
    for (const n of names) {
      const relPath = rel ? `${rel}/${n}` : n;
      const full = path.join(dir, n);
      const st = await fs.lstat(full);
      if (st.isSymbolicLink()) throw new ContainerError('container.link', `"${relPath}" is a symbolic link; bundles may not contain links.`, { path: relPath });
      if (st.isDirectory()) {
        entries.push({ path: relPath, type: 'dir' });
        if (depth >= 8) throw new ContainerError('container.path', `"${relPath}" is nested deeper than 8 segments.`, { path: relPath });
        await walk(full, relPath, depth + 1);
      } else if (st.isFile()) {
        if (st.nlink > 1) throw new ContainerError('container.link', `"${relPath}" has ${st.nlink} hard links; copy the bundle so every file is independent.`, { path: relPath });
        entries.push({ path: relPath, type: 'file' });
        files.push({ path: relPath, size: st.size, file: full, offset: 0, ino: st.ino, dev: st.dev });
      } else throw new ContainerError('container.link', `"${relPath}" is not a regular file or directory (device, FIFO or socket).`, { path: relPath });
    }
  };
  await walk(root, '', 1);
  checkNames(entries);
  return { kind: 'directory', files, bytes: files.reduce((a, f) => a + f.size, 0) };
}

/** Read a small file of the bundle fully (SHA384SUMS, .p7s, bundle.json). */
export async function readSmall(f: BundleFile): Promise<Buffer> {
  const fh = await fs.open(f.file, fs.constants.O_RDONLY | (f.ino !== undefined ? fs.constants.O_NOFOLLOW : 0));
  try {
    if (f.ino !== undefined) {
      const st = await fh.stat();
      if (!st.isFile() || st.ino !== f.ino || st.dev !== f.dev || st.size !== f.size)
        throw new ContainerError('container.link', `"${f.path}" changed while it was being verified.`, { path: f.path });
    }
    const b = Buffer.alloc(f.size);
    let got = 0;
    while (got < f.size) {
      const { bytesRead } = await fh.read(b, got, f.size - got, f.offset + got);
      if (bytesRead === 0) throw new ContainerError('container.truncated', `"${f.path}" is shorter than expected.`, { path: f.path });
      got += bytesRead;
    }
    return b;
  } finally {
    await fh.close();
  }
}
