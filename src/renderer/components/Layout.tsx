import { useEffect, useRef, useState } from 'react';
import { useSession } from '../state/session';
import { SCREENS, useUi } from '../state/ui';
import { formatMinutes } from '../lib/format';
import { toErrorDto } from '../api/client';
import type { ErrorDto } from '../../shared/errors';
import { ErrorNotice } from './ErrorNotice';

export function Layout({ children }: { children: React.ReactNode }) {
  const screen = useUi((s) => s.screen);
  const go = useUi((s) => s.go);
  const status = useSession((s) => s.status);
  const info = useSession((s) => s.info);
  const lock = useSession((s) => s.lock);
  const [lockError, setLockError] = useState<ErrorDto | null>(null);

  const onLock = async () => {
    setLockError(null);
    try {
      await lock();
    } catch (e) {
      setLockError(toErrorDto(e));
    }
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <div className="brand">
          <span className="brand-name">Airlock</span>
          {info && <span className="brand-version">v{info.version}</span>}
        </div>
        <nav className="nav" aria-label="Main">
          <ul>
            {SCREENS.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`nav-item${screen === s.id ? ' nav-active' : ''}`}
                  aria-current={screen === s.id ? 'page' : undefined}
                  onClick={() => go(s.id)}
                  data-testid={`nav-${s.id}`}
                >
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-status" data-testid="header-status">
          <span className="pill pill-ok">Unlocked</span>
          {status?.operator && <span className="header-operator" title="Operator">{status.operator}</span>}
          {status && <span className="header-autolock">Auto-lock {formatMinutes(status.autoLockMinutes)}</span>}
          <button type="button" className="btn btn-lock" onClick={onLock} data-testid="lock-button">
            Lock
          </button>
        </div>
      </header>
      {lockError && (
        <div className="page-notices">
          <ErrorNotice error={lockError} title="Could not lock" onDismiss={() => setLockError(null)} />
        </div>
      )}
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** A screen heading that takes focus when the screen opens (for keyboard and screen-reader users). */
export function ScreenHeading({ children, actions }: { children: React.ReactNode; actions?: React.ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Only move focus when nothing else in the page has it (e.g. after navigation).
    const active = document.activeElement;
    if (!active || active === document.body || active.classList.contains('nav-item')) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="screen-head">
      <h1 tabIndex={-1} ref={ref}>
        {children}
      </h1>
      {actions && <div className="screen-actions">{actions}</div>}
    </div>
  );
}
