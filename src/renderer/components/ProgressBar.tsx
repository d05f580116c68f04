import type { ProgressEventDto } from '../../shared/ipc/contract';
import { progressView } from '../lib/format';

export function ProgressBar({ progress, label }: { progress: ProgressEventDto | null; label: string }) {
  const view = progress ? progressView(progress) : null;
  const pct = view?.percent ?? null;
  return (
    <div className="progress" data-testid="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct === null ? undefined : Math.round(pct)}
        aria-valuetext={view ? `${view.bytes}, ${view.files}` : 'Starting…'}
      >
        <div className={`progress-fill${pct === null ? ' progress-indeterminate' : ''}`} style={{ width: pct === null ? '30%' : `${pct}%` }} />
      </div>
      <dl className="progress-stats">
        <div>
          <dt>Read</dt>
          <dd data-testid="progress-bytes">{view ? view.bytes : 'Starting…'}</dd>
        </div>
        <div>
          <dt>Files</dt>
          <dd>{view ? view.files : '—'}</dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd>{view ? view.rate : '—'}</dd>
        </div>
        <div>
          <dt>Remaining</dt>
          <dd>{view ? view.eta : '—'}</dd>
        </div>
        <div>
          <dt>Done</dt>
          <dd>{pct === null ? '—' : `${pct.toFixed(0)} %`}</dd>
        </div>
      </dl>
    </div>
  );
}
