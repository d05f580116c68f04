/**
 * Wires ipcMain to the router: one handler per contract channel, sender read
 * from the event. Type-only Electron import; main.ts passes the real ipcMain.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ALL_CHANNELS, EVENT_PREFIX, type EventName } from '../../shared/ipc/channels';
import type { IpcRouter, IpcSender } from '../ipc/router';

export function senderOf(event: IpcMainInvokeEvent, expected: WebContents | undefined): IpcSender {
  const frame = event.senderFrame;
  const isOurWindow = expected !== undefined && event.sender === expected;
  return {
    frameUrl: frame?.url ?? '',
    isMainFrame: isOurWindow && frame !== null && frame === event.sender.mainFrame,
  };
}

export function bridgeIpc(ipcMain: IpcMain, router: IpcRouter, getWindowContents: () => WebContents | undefined): void {
  for (const channel of ALL_CHANNELS) {
    ipcMain.handle(channel, (event, args: unknown) => router.dispatch(channel, args, senderOf(event, getWindowContents())));
  }
}

export function eventSender(getWindowContents: () => WebContents | undefined) {
  return (event: EventName, payload: unknown) => {
    const wc = getWindowContents();
    if (wc && !wc.isDestroyed()) wc.send(EVENT_PREFIX + event, payload);
  };
}
