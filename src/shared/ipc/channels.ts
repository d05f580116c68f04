/**
 * Channel names, grouped by capability. Pure data (no zod) so the sandboxed
 * preload can build its API from it without bundling the schemas.
 * Each member is one fixed channel `group.member`; there is no generic invoke.
 */
export const API_GROUPS = {
  app: ['info'],
  vault: ['status', 'create', 'unlock', 'unlockRemembered', 'remember', 'lock', 'changePassphrase', 'check', 'checkBlobs', 'setAutoLock', 'touch'],
  audit: ['list'],
  trust: ['list', 'addAnchor', 'removeAnchor', 'addCrl', 'setLabId'],
  bundles: ['chooseFile', 'import', 'cancel', 'list', 'report'],
  content: ['engagements', 'tasks', 'samples', 'modelCard'],
} as const;

/**
 * Channels only the preload itself calls, inside a member it exposes, never as a
 * member of their own. `files.dropped` reports a file dropped on the window
 * (webUtils only yields paths for real files); main grants it only when the
 * user confirms it in main's own dialog, so the report alone grants nothing.
 */
export const PRIVATE_CHANNELS = ['files.dropped'] as const;

export type ApiGroup = keyof typeof API_GROUPS;
export type ChannelOf<G extends ApiGroup> = `${G}.${(typeof API_GROUPS)[G][number]}`;
export type PrivateChannel = (typeof PRIVATE_CHANNELS)[number];
export type Channel = { [G in ApiGroup]: ChannelOf<G> }[ApiGroup] | PrivateChannel;

export const ALL_CHANNELS: readonly Channel[] = [
  ...Object.entries(API_GROUPS).flatMap(([group, members]) => (members as readonly string[]).map((m) => `${group}.${m}` as Channel)),
  ...PRIVATE_CHANNELS,
];

/** Main → renderer notifications (one-way). */
export const EVENTS = ['vault.locked', 'bundles.progress'] as const;
export type EventName = (typeof EVENTS)[number];

/** The prefix main uses on webContents.send so renderer listeners cannot collide with invoke channels. */
export const EVENT_PREFIX = 'airlock:event:';
