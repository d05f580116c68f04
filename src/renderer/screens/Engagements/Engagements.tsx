import { useLoadOnMount } from '../../hooks/useLoadOnMount';
import { RefreshButton } from '../../components/RefreshButton';
import { useEffect, useMemo, useState } from 'react';
import { useContent } from '../../state/content';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { ClassificationBanner } from '../../components/ClassificationBanner';
import { Time } from '../../components/Time';
import { formatBytes } from '../../lib/format';
import { renderMarkdown } from '../../lib/markdown';
import type { EngagementDto, ModelCardDto } from '../../../shared/ipc/contract';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "Open · 13 days left", "Not started · opens in 31 days", "Closed". */
export function windowLabel(w: EngagementDto['window']): string {
  switch (w.state) {
    case 'not-started':
      return w.days === null || w.days < 1 ? 'Not started · opens within a day' : `Not started · opens in ${plural(w.days, 'day')}`;
    case 'open':
      return w.days === null || w.days < 1 ? 'Open · closes within a day' : `Open · ${plural(w.days, 'day')} left`;
    case 'closed':
      return 'Closed';
  }
}

export function WindowBadge({ window: w }: { window: EngagementDto['window'] }) {
  const tone = w.state === 'open' ? 'pill-ok' : w.state === 'closed' ? 'pill-bad' : '';
  return (
    <span className={`pill ${tone}`} data-testid="window-state" data-state={w.state}>
      {windowLabel(w)}
    </span>
  );
}

function ModelCard({ engagement }: { engagement: EngagementDto }) {
  const getCard = useContent((s) => s.card);
  const load = useAction(getCard);
  const [card, setCard] = useState<ModelCardDto | undefined>(undefined);

  useEffect(() => {
    setCard(undefined);
    if (!engagement.hasCard) return;
    let live = true;
    void load.run(engagement.id).then((c) => {
      if (live && c !== undefined) setCard(c);
    });
    return () => {
      live = false;
    };
  }, [engagement.id]);

  const rendered = useMemo(() => {
    if (!card) return { html: null as string | null, error: null as string | null };
    try {
      return { html: renderMarkdown(card.markdown), error: null };
    } catch (e) {
      return { html: null, error: e instanceof Error ? e.message : String(e) };
    }
  }, [card]);

  if (!engagement.hasCard) return <p className="muted" data-testid="model-card-none">This bundle carries no model card.</p>;
  return (
    <section className="panel" aria-labelledby="model-card-heading">
      <h2 id="model-card-heading">Model card{card ? <span className="muted small"> · {card.path}</span> : null}</h2>
      <ErrorNotice error={load.error} title="Could not load the model card" />
      {load.busy && <p className="muted">Loading model card…</p>}
      {rendered.error && (
        <div className="notice notice-error" role="alert">
          <div className="notice-body">{rendered.error}</div>
        </div>
      )}
      {rendered.html !== null && (
        // Sanitised by renderMarkdown (marked without links/images/raw HTML, then DOMPurify with a strict allow-list).
        <div className="markdown" data-testid="model-card" dangerouslySetInnerHTML={{ __html: rendered.html }} />
      )}
    </section>
  );
}

function EngagementDetail({ engagement: e }: { engagement: EngagementDto }) {
  return (
    <div data-testid="engagement-detail" data-engagement={e.id}>
      <ClassificationBanner marking={e.classification} />
      <div className="panel">
        <h2>
          {e.model.developer} · {e.model.name} <span className="muted">{e.model.version}</span>
        </h2>
        <p className="muted small">From bundle “{e.bundle.title}”</p>
        <dl className="kv kv-grid">
          <div>
            <dt>Access window</dt>
            <dd data-testid="engagement-window">
              <WindowBadge window={e.window} />
              <div className="small">
                <Time iso={e.window.start} compact /> → <Time iso={e.window.end} compact />
              </div>
              <div className="muted small">
                As of <Time iso={e.window.at} compact /> (vault’s trusted clock)
              </div>
            </dd>
          </div>
          <div>
            <dt>Access</dt>
            <dd data-testid="engagement-access">
              {e.access.kind === 'endpoint' ? (
                <>
                  Endpoint <code>{e.access.baseUrl ?? '—'}</code>
                  <div className="small">
                    API {e.access.api ?? '—'} · model <code>{e.access.model ?? '—'}</code>
                  </div>
                  <div className="small" data-testid="engagement-credential">
                    {e.access.hasCredential ? 'Credential held in the vault (encrypted to the lab certificate).' : 'No credential in this bundle.'}
                  </div>
                </>
              ) : (
                <>
                  Weights{e.access.weightsFormat ? ` (${e.access.weightsFormat})` : ''}
                  <ul className="plain small" data-testid="weight-files">
                    {e.access.weightFiles.map((f) => (
                      <li key={f.path}>
                        <code>{f.path}</code> · {formatBytes(f.size)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </dd>
          </div>
        </dl>
      </div>
      <ModelCard engagement={e} />
      <ClassificationBanner marking={e.classification} position="bottom" />
    </div>
  );
}

export function Engagements() {
  const engagements = useContent((s) => s.engagements);
  const selectedId = useContent((s) => s.selectedEngagementId);
  const select = useContent((s) => s.selectEngagement);
  const loadEngagements = useContent((s) => s.loadEngagements);
  const load = useLoadOnMount(loadEngagements);

  const selected = engagements?.find((e) => e.id === selectedId);

  return (
    <section>
      <ScreenHeading actions={<RefreshButton load={load} />}>
        Engagements
      </ScreenHeading>
      <p className="muted">Each accepted model-access bundle is an engagement: a model, how to reach it, and the window in which access is allowed.</p>
      <ErrorNotice error={load.error} title="Could not load engagements" />
      {engagements && engagements.length === 0 && (
        <p className="empty" data-testid="no-engagements">
          No engagements yet. Import a model-access bundle from Intake.
        </p>
      )}
      {engagements && engagements.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="engagements-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Developer</th>
                <th scope="col">Access window</th>
                <th scope="col">Access</th>
                <th scope="col">Classification</th>
                <th scope="col">
                  <span className="sr-only">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {engagements.map((e) => (
                <tr key={e.id} className={e.id === selectedId ? 'selected' : ''} data-testid="engagement-row" data-state={e.window.state}>
                  <th scope="row">
                    {e.model.name} <span className="muted small">{e.model.version}</span>
                  </th>
                  <td>{e.model.developer}</td>
                  <td>
                    <WindowBadge window={e.window} />
                  </td>
                  <td className="ellipsis" title={e.access.baseUrl ?? undefined}>
                    {e.access.kind === 'endpoint' ? e.access.baseUrl : `weights (${plural(e.access.weightFiles.length, 'file')})`}
                  </td>
                  <td>{e.classification}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-quiet"
                      onClick={() => select(e.id)}
                      aria-pressed={e.id === selectedId}
                      aria-label={`Show engagement ${e.model.name} ${e.model.version}`}
                    >
                      Show
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && <EngagementDetail key={selected.id} engagement={selected} />}
    </section>
  );
}
