/**
 * Stands in for `electron` when the real preload (src/preload/index.ts) is
 * bundled for the end-to-end harness. `invoke` goes to a Playwright binding
 * that calls the real router in the test process with the calling frame's URL.
 */
type Listener = (event: unknown, payload: unknown) => void;
declare global {
  interface Window {
    __airlockIpc(channel: string, args: unknown): Promise<unknown>;
    __airlockDeliver?(channel: string, payload: unknown): void;
    __airlockTestPaths?: Record<string, string>;
  }
}

const listeners = new Map<string, Set<Listener>>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    Object.defineProperty(window, key, { value: deepFreeze(api), writable: false, configurable: false, enumerable: true });
  },
};

export const ipcRenderer = {
  // Mirrors Electron's serialisation boundary: only JSON-safe data crosses.
  invoke(channel: string, args: unknown): Promise<unknown> {
    return window.__airlockIpc(channel, args === undefined ? undefined : JSON.parse(JSON.stringify(args)));
  },
  on(channel: string, listener: Listener): void {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(listener);
  },
  removeListener(channel: string, listener: Listener): void {
    listeners.get(channel)?.delete(listener);
  },
};

export const webUtils = {
  /**
   * Electron knows a real dropped File's path; Chromium alone does not. The
   * harness drops real files (CDP Input.dispatchDragEvent) and tells the shim
   * their paths by name.
   */
  getPathForFile(file: File): string {
    return window.__airlockTestPaths?.[file.name] ?? '';
  },
};

Object.defineProperty(window, '__airlockDeliver', {
  value: (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l({}, payload)),
  writable: false,
  configurable: false,
});
