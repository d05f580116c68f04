import type { VaultContext } from './context';

export interface ClockStatus {
  system: string;
  highWater: string;
  /** How far the system clock is behind the high-water mark (0 when ahead). */
  behindMs: number;
}

const KEY = 'clock.high_water';
/** Persist the high-water mark when it advances by at least this much (limits DB writes). */
const PERSIST_STEP_MS = 1000;

/**
 * Monotonic "trusted" time: max(system clock, stored high-water mark), so
 * setting the system clock back cannot move time backwards for certificate
 * and bundle-window checks. The mark lives in the encrypted `meta` table.
 */
export class TrustedClock {
  private hw = 0;
  private persisted = 0;
  private loaded = false;

  constructor(
    private readonly ctx: VaultContext,
    private readonly system: () => Date,
  ) {}

  private load(): void {
    if (this.loaded) return;
    const row = this.ctx.db().prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(KEY);
    const v = row ? Date.parse(row.value) : 0;
    this.hw = this.persisted = Number.isFinite(v) ? v : 0;
    this.loaded = true;
  }

  now(): Date {
    this.ctx.assertUnlocked();
    this.load();
    const sys = this.system().getTime();
    if (sys > this.hw) {
      this.hw = sys;
      if (sys - this.persisted >= PERSIST_STEP_MS) this.persist();
    }
    return new Date(this.hw);
  }

  /** Write the in-memory mark to the DB (also called on lock). */
  persist(): void {
    if (!this.loaded || this.hw <= this.persisted) return;
    this.ctx.db().prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, new Date(this.hw).toISOString());
    this.persisted = this.hw;
  }

  status(): ClockStatus {
    this.ctx.assertUnlocked();
    this.load();
    const sys = this.system().getTime();
    return {
      system: new Date(sys).toISOString(),
      highWater: new Date(Math.max(this.hw, 0)).toISOString(),
      behindMs: Math.max(0, this.hw - sys),
    };
  }
}
