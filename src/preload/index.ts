/**
 * Preload: exposes `window.airlock`, a small frozen API grouped by capability
 * (app, vault, audit, trust, bundles), one fixed IPC channel per member.
 * There is no generic invoke and no way to pass a channel name from the page.
 * Runs sandboxed: only `electron`'s renderer modules, nothing from Node.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_GROUPS, EVENTS, EVENT_PREFIX, type EventName } from '../shared/ipc/channels';
import { API_GLOBAL } from '../shared/ipc/api';

function member(channel: string) {
  // Only the single argument object crosses; extra arguments are dropped here and validated again in main.
  return (args?: unknown) => ipcRenderer.invoke(channel, args);
}

function buildApi() {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [group, members] of Object.entries(API_GROUPS)) {
    const g: Record<string, unknown> = {};
    for (const m of members as readonly string[]) g[m] = member(`${group}.${m}`);
    api[group] = Object.freeze(g);
  }
  api.events = Object.freeze({
    on(event: EventName, listener: (payload: unknown) => void): () => void {
      if (!(EVENTS as readonly string[]).includes(event)) throw new Error(`Unknown Airlock event "${String(event)}".`);
      if (typeof listener !== 'function') throw new Error('listener must be a function');
      // Never hand the IpcRendererEvent (which carries `sender`) to the page.
      const wrapped = (_e: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(EVENT_PREFIX + event, wrapped);
      return () => ipcRenderer.removeListener(EVENT_PREFIX + event, wrapped);
    },
  });
  api.files = Object.freeze({
    async pathForFile(file: File): Promise<string> {
      let path = '';
      try {
        path = webUtils.getPathForFile(file);
      } catch {
        return '';
      }
      // Only a real dropped file has a path; main reads nothing else the renderer names.
      if (path) await ipcRenderer.invoke('files.grantDropped', { path });
      return path;
    },
  });
  return Object.freeze(api);
}

contextBridge.exposeInMainWorld(API_GLOBAL, buildApi());
