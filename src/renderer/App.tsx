import { useEffect } from 'react';
import { useSession } from './state/session';
import { useUi, type Screen } from './state/ui';
import { invoke, onEvent } from './api/client';
import { createThrottle, TOUCH_INTERVAL_MS } from './lib/throttle';
import { Layout } from './components/Layout';
import { ErrorNotice } from './components/ErrorNotice';
import { CreateVault } from './screens/FirstRun/CreateVault';
import { Unlock } from './screens/Unlock/Unlock';
import { VaultStatus } from './screens/VaultStatus/VaultStatus';
import { Audit } from './screens/Audit/Audit';
import { Trust } from './screens/Trust/Trust';
import { Intake } from './screens/Intake/Intake';
import { Bundles } from './screens/Bundles/Bundles';
import { Engagements } from './screens/Engagements/Engagements';
import { Tasks } from './screens/Tasks/Tasks';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'pointermove'] as const;

/** Tell main about user activity (at most once per 30 s) so the idle auto-lock measures real inactivity. */
function useActivityTouch(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const throttle = createThrottle(TOUCH_INTERVAL_MS);
    const onActivity = () => {
      if (throttle.hit()) void invoke('vault.touch').catch(() => {});
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, onActivity, { passive: true, capture: true });
    return () => {
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
    };
  }, [active]);
}

function ScreenView({ screen }: { screen: Screen }) {
  switch (screen) {
    case 'intake':
      return <Intake />;
    case 'bundles':
      return <Bundles />;
    case 'engagements':
      return <Engagements />;
    case 'tasks':
      return <Tasks />;
    case 'trust':
      return <Trust />;
    case 'audit':
      return <Audit />;
    case 'vault':
      return <VaultStatus />;
  }
}

export function App() {
  const phase = useSession((s) => s.phase);
  const fatal = useSession((s) => s.fatal);
  const init = useSession((s) => s.init);
  const screen = useUi((s) => s.screen);

  useEffect(() => {
    void init();
    const off = onEvent('vault.locked', (p) => useSession.getState().onLocked(p?.reason === 'manual' ? 'manual' : 'idle'));
    return off;
  }, [init]);

  useActivityTouch(phase === 'unlocked');

  switch (phase) {
    case 'loading':
      return (
        <div className="gate" role="status" data-testid="loading">
          <p>Starting Airlock…</p>
        </div>
      );
    case 'fatal':
      return (
        <div className="gate">
          <div className="gate-card">
            <h1>Airlock could not start</h1>
            <ErrorNotice error={fatal} />
            <div className="form-actions">
              <button type="button" className="btn btn-primary" onClick={() => void init()}>
                Try again
              </button>
            </div>
          </div>
        </div>
      );
    case 'no-vault':
      return <CreateVault />;
    case 'locked':
      return <Unlock />;
    case 'unlocked':
      return (
        <Layout>
          <ScreenView key={screen} screen={screen} />
        </Layout>
      );
  }
}
