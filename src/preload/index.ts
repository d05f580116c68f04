/**
 * Preload: exposes `window.airlock`, a small frozen API grouped by capability
 * (app, vault, audit, trust, bundles), one fixed IPC channel per member.
 * There is no generic invoke and no way to pass a channel name from the page.
 * Runs sandboxed: only `electron`'s renderer modules, nothing from Node.
 *
 * Dropped files: this script (in its isolated world) listens for real drop
 * events itself and reports the dropped file's path to main on the private
 * channel `files.dropped`, which the page cannot call. Main then asks the user
 * in its own dialog; only a confirmed file may be imported. The page only
 * learns the outcome (files.droppedFile), so it can neither forge a drop nor
 * make main ask about a path of its choosing.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { API_GROUPS, EVENTS, EVENT_PREFIX, type EventName } from '../shared/ipc/channels';
import { API_GLOBAL } from '../shared/ipc/api';

function member(channel: string) {
  // Only the single argument object crosses; extra arguments are dropped here and validated again in main.
  return (args?: unknown) => ipcRenderer.invoke(channel, args);
}

/** Elements of the page that accept a dropped bundle; drops elsewhere are not reported. */
const DROP_ZONE_SELECTOR = '[data-drop-zone]';

function pathOf(file: File): string {
  try {
    return webUtils.getPathForFile(file);
  } catch {
    return '';
  }
}

/** Path of each reported drop → main's answer (the user confirmed it in main's dialog). */
const dropOutcomes = new Map<string, Promise<boolean>>();

function isGranted(reply: unknown): boolean {
  const r = reply as { ok?: unknown; value?: { granted?: unknown } } | null;
  return r?.ok === true && r.value?.granted === true;
}

/**
 * Capture phase on window: runs before the page's own drop handler, so the
 * outcome is pending by the time the page asks for it. Only a drop the user
 * made (isTrusted) of exactly one file on a drop zone is reported.
 */
function reportDrop(event: DragEvent): void {
  if (!event.isTrusted) return;
  const target = event.target;
  if (!(target instanceof Element) || !target.closest(DROP_ZONE_SELECTOR)) return;
  const files = event.dataTransfer?.files;
  if (!files || files.length !== 1) return;
  const path = pathOf(files[0]!);
  if (!path) return;
  dropOutcomes.set(path, ipcRenderer.invoke('files.dropped', { path }).then(isGranted, () => false));
}

window.addEventListener('drop', reportDrop, { capture: true });

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
    /**
     * The dropped File's path and whether the user confirmed it in main's
     * dialog (then it may be imported). path '' when the File is not a real
     * file on disk; granted false when it was not reported by a real drop on
     * a drop zone, or the user declined.
     */
    async droppedFile(file: File): Promise<{ path: string; granted: boolean }> {
      const path = pathOf(file);
      const outcome = path ? dropOutcomes.get(path) : undefined;
      if (!outcome) return { path, granted: false };
      dropOutcomes.delete(path);
      return { path, granted: await outcome };
    },
  });
  return Object.freeze(api);
}

contextBridge.exposeInMainWorld(API_GLOBAL, buildApi());
