/**
 * The preload's drop reporting, run against a fake `electron` and a minimal
 * DOM: only a real (trusted) drop of one file on a drop zone is reported to
 * main on the private channel, and the page learns only main's answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const invoked: { channel: string; args: unknown }[] = [];
let answer: unknown = { ok: true, value: { granted: true } };
let exposed: Record<string, Record<string, (...a: unknown[]) => unknown>> = {};
const paths = new Map<object, string>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (_key: string, api: typeof exposed) => (exposed = api) },
  ipcRenderer: {
    invoke: async (channel: string, args: unknown) => {
      invoked.push({ channel, args });
      return answer;
    },
    on: () => undefined,
    removeListener: () => undefined,
  },
  webUtils: {
    getPathForFile: (file: object) => {
      const p = paths.get(file);
      if (p === undefined) throw new Error('not a file on disk');
      return p;
    },
  },
}));

/** Just enough DOM: elements with closest(), and window as an EventTarget. */
class FakeElement {
  constructor(private readonly zone: boolean) {}
  closest(selector: string) {
    return this.zone && selector === '[data-drop-zone]' ? this : null;
  }
}
const listeners: ((e: unknown) => void)[] = [];
const fakeWindow = {
  addEventListener: (type: string, l: (e: unknown) => void, opts: unknown) => {
    expect(type).toBe('drop');
    expect(opts).toEqual({ capture: true });
    listeners.push(l);
  },
};

function drop(opts: { trusted?: boolean; zone?: boolean; files: object[] }) {
  const event = { isTrusted: opts.trusted ?? true, target: new FakeElement(opts.zone ?? true), dataTransfer: { files: opts.files } };
  for (const l of listeners) l(event);
}
function fileAt(path: string): object {
  const f = {};
  paths.set(f, path);
  return f;
}
const droppedFile = (f: object) => exposed.files!.droppedFile!(f) as Promise<{ path: string; granted: boolean }>;

const saved = { window: (globalThis as Record<string, unknown>).window, Element: (globalThis as Record<string, unknown>).Element };
beforeAll(async () => {
  Object.assign(globalThis, { window: fakeWindow, Element: FakeElement });
  await import('../../../src/preload/index');
});
afterAll(() => Object.assign(globalThis, saved));
beforeEach(() => {
  invoked.length = 0;
  answer = { ok: true, value: { granted: true } };
});

describe('preload: dropped files', () => {
  it('exposes only the outcome of a drop to the page, never a way to report one', () => {
    expect(Object.keys(exposed.files!)).toEqual(['droppedFile']);
    expect(Object.isFrozen(exposed.files)).toBe(true);
    expect(JSON.stringify(Object.keys(exposed))).not.toMatch(/dropped|grant/);
    expect(listeners).toHaveLength(1);
  });

  it('reports a real drop of one file on a drop zone, and hands the page the path once main granted it', async () => {
    const f = fileAt('/media/usb/bundle.tar');
    drop({ files: [f] });
    expect(invoked).toEqual([{ channel: 'files.dropped', args: { path: '/media/usb/bundle.tar' } }]);
    expect(await droppedFile(f)).toEqual({ path: '/media/usb/bundle.tar', granted: true });
    // The outcome is used once: asking again without a new drop grants nothing.
    expect(await droppedFile(f)).toEqual({ path: '/media/usb/bundle.tar', granted: false });
  });

  it('passes on a refusal: the user declined in main, or main answered with an error', async () => {
    const f = fileAt('/media/usb/other.tar');
    answer = { ok: true, value: { granted: false } };
    drop({ files: [f] });
    expect(await droppedFile(f)).toEqual({ path: '/media/usb/other.tar', granted: false });
    answer = { ok: false, error: { code: 'vault.locked', message: 'locked' } };
    drop({ files: [f] });
    expect(await droppedFile(f)).toEqual({ path: '/media/usb/other.tar', granted: false });
  });

  it('ignores synthetic drops (page script), drops outside a drop zone, several files, and files without a path', async () => {
    const f = fileAt('/etc/passwd');
    drop({ trusted: false, files: [f] });
    drop({ zone: false, files: [f] });
    drop({ files: [f, fileAt('/media/usb/b.tar')] });
    drop({ files: [{}] });
    drop({ files: [] });
    expect(invoked).toEqual([]);
    // A page that calls droppedFile on a file nobody dropped learns its path but gets no grant, and main is not asked.
    expect(await droppedFile(f)).toEqual({ path: '/etc/passwd', granted: false });
    expect(await droppedFile({})).toEqual({ path: '', granted: false });
    expect(invoked).toEqual([]);
  });
});
