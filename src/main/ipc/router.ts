/**
 * The one IPC router. Electron-free: the glue (src/main/electron/ipc-bridge.ts) and
 * the end-to-end harness both call `dispatch(channel, args, sender)`.
 *
 * Order of checks: channel known → sender is the app's own main frame →
 * arguments match the contract → handler → result matches the contract.
 * Every outcome is an IpcResult; nothing throws across the boundary and no
 * stack trace reaches the renderer.
 */
import { z } from 'zod';
import { CONTRACT, type ArgsOf, type ResultOf } from '../../shared/ipc/contract';
import type { Channel } from '../../shared/ipc/channels';
import { IPC_ERROR, type IpcResult } from '../../shared/ipc/result';
import { AirlockError, isAirlockError } from '../../shared/errors';

/** Who sent a message, as the glue reads it from the IPC event. */
export interface IpcSender {
  /** URL of the frame that sent the message (event.senderFrame.url). */
  frameUrl: string;
  /** True only for the top-level frame of the app's window. */
  isMainFrame: boolean;
}

export type Handler<C extends Channel> = (args: ArgsOf<C>) => Promise<ResultOf<C>> | ResultOf<C>;
export type Handlers = { [C in Channel]: Handler<C> };
/** The handlers of one API group ('vault' → every 'vault.*' channel). */
export type GroupHandlers<G extends string> = { [C in Channel as C extends `${G}.${string}` ? C : never]: Handler<C> };

/** The renderer is served from app://airlock/ (see src/main/electron/content-security.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'airlock';
export const APP_ORIGIN_URL = `${APP_SCHEME}://${APP_HOST}/`;

export interface RouterLogger {
  error(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

/** Where the renderer is served from; the end-to-end harness serves it under another origin. */
export interface AppOrigin {
  protocol: string;
  host: string;
}
export const APP_ORIGIN: AppOrigin = { protocol: `${APP_SCHEME}:`, host: APP_HOST };

function isAppFrame(sender: IpcSender, origin: AppOrigin): boolean {
  if (!sender.isMainFrame) return false;
  try {
    // origin is "null" for non-special schemes: compare protocol and host.
    const url = new URL(sender.frameUrl);
    return url.protocol === origin.protocol && url.host === origin.host;
  } catch {
    return false;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export class IpcRouter {
  private incidents = 0;
  constructor(
    private readonly handlers: Handlers,
    private readonly log: RouterLogger,
    private readonly origin: AppOrigin = APP_ORIGIN,
  ) {}

  static isChannel(value: unknown): value is Channel {
    return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CONTRACT, value);
  }

  async dispatch(channel: unknown, args: unknown, sender: IpcSender): Promise<IpcResult<unknown>> {
    if (!IpcRouter.isChannel(channel)) {
      this.log.warn('ipc: unknown channel refused', { channel: String(channel).slice(0, 100) });
      return fail(IPC_ERROR.unknownChannel, `"${String(channel).slice(0, 100)}" is not an Airlock IPC channel.`);
    }
    if (!isAppFrame(sender, this.origin)) {
      this.log.warn('ipc: sender refused', { channel, frameUrl: sender.frameUrl.slice(0, 200), isMainFrame: sender.isMainFrame });
      return fail(
        IPC_ERROR.forbiddenSender,
        `Refused ${channel}: only Airlock's own window may call it (sender ${sender.isMainFrame ? 'frame' : 'subframe'} ${safeOrigin(sender.frameUrl)}).`,
      );
    }
    const spec = CONTRACT[channel];
    const parsed = spec.args.safeParse(args);
    if (!parsed.success) {
      return fail(IPC_ERROR.invalidArguments, `Invalid arguments for ${channel}: ${describeIssues(parsed.error)}.`);
    }
    let value: unknown;
    try {
      const handler = this.handlers[channel] as (a: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (error) {
      if (isAirlockError(error)) return { ok: false, error: toDto(error) };
      const incident = `E${Date.now().toString(36)}-${++this.incidents}`;
      this.log.error('ipc: handler failed', { channel, incident, error: error instanceof Error ? error.stack : String(error) });
      return fail(
        IPC_ERROR.internal,
        `Airlock hit an unexpected error while running ${channel}. Nothing was committed. Report incident ${incident} from the application log.`,
      );
    }
    const checked = spec.result.safeParse(value);
    if (!checked.success) {
      const incident = `E${Date.now().toString(36)}-${++this.incidents}`;
      this.log.error('ipc: handler result violates contract', { channel, incident, issues: describeIssues(checked.error) });
      return fail(IPC_ERROR.invalidResult, `Airlock produced an invalid response for ${channel}. Report incident ${incident}.`);
    }
    return { ok: true, value: checked.data };
  }
}

function safeOrigin(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return '(unparseable URL)';
  }
}

function toDto(error: AirlockError) {
  return error.detail ? { code: error.code, message: error.message, detail: { ...error.detail } } : { code: error.code, message: error.message };
}

function fail(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}
