import { useState } from 'react';
import { useIntake } from '../../state/intake';
import { useUi } from '../../state/ui';
import { droppedFile } from '../../api/client';
import { ErrorNotice, InfoNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { ProgressBar } from '../../components/ProgressBar';
import { ReportView } from '../../components/ReportView';
import type { ImportOutcomeDto } from '../../../shared/ipc/contract';

function OutcomeNotice({ outcome }: { outcome: ImportOutcomeDto }) {
  const openBundle = useUi((s) => s.openBundle);
  switch (outcome.outcome) {
    case 'imported':
      return (
        <InfoNotice tone="ok" testId="import-outcome">
          <p data-outcome="imported">
            Bundle verified and imported into the vault.{' '}
            {outcome.importId && (
              <button type="button" className="btn btn-quiet" onClick={() => openBundle(outcome.importId)}>
                View in Bundles
              </button>
            )}
          </p>
        </InfoNotice>
      );
    case 'already-imported':
      return (
        <InfoNotice tone="info" testId="import-outcome">
          <p data-outcome="already-imported">
            This exact bundle was already imported; nothing new was stored. The report below is from this verification.
          </p>
        </InfoNotice>
      );
    case 'rejected':
      return (
        <InfoNotice tone="warn" testId="import-outcome">
          <p data-outcome="rejected">
            The bundle was rejected and none of its content was stored. The rejection and its report are kept in the vault and
            the audit trail.
          </p>
        </InfoNotice>
      );
    case 'cancelled':
      return (
        <InfoNotice tone="info" testId="import-outcome">
          <p data-outcome="cancelled">Import cancelled. Nothing was stored. Import the bundle again to verify it.</p>
        </InfoNotice>
      );
  }
}

export function Intake() {
  const { phase, path, progress, outcome, error, cancelling, start, choose, cancel, reset, fail } = useIntake();
  const [dragging, setDragging] = useState(false);
  const busy = phase === 'importing';

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const files = e.dataTransfer.files;
    if (files.length !== 1) {
      fail({
        code: 'renderer.drop-count',
        message: files.length === 0 ? 'Nothing usable was dropped. Drop a bundle file or folder, or use “Choose bundle…”.' : 'Drop one bundle at a time.',
      });
      return;
    }
    const { path: p, granted } = await droppedFile(files[0]!);
    if (!p) {
      fail({
        code: 'renderer.drop-no-path',
        message: 'Airlock could not find where the dropped item is stored. Use “Choose bundle…” to select it instead.',
      });
      return;
    }
    if (!granted) {
      fail({ code: 'renderer.drop-declined', message: 'The dropped item was not imported: it was not confirmed. Drop it again and choose Import, or use “Choose bundle…”.' });
      return;
    }
    void start(p);
  };

  return (
    <section>
      <ScreenHeading>Intake</ScreenHeading>
      <p className="muted">
        Verify a bundle brought in on removable media. Airlock checks its structure, every file’s SHA-384 digest, the CMS
        signature, the certificate chain to your trust anchors, revocation and the bundle’s metadata before storing anything.
      </p>

      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}${busy ? ' dropzone-busy' : ''}`}
        data-testid="dropzone"
        data-drop-zone
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
          if (!dragging) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="dropzone-title">{busy ? 'Verifying…' : 'Drop a bundle (.tar file or folder) here'}</p>
        <p className="muted">or</p>
        <button type="button" className="btn btn-primary" onClick={() => void choose()} disabled={busy} data-testid="choose-bundle">
          Choose bundle…
        </button>
      </div>

      {busy && (
        <div className="panel" aria-live="polite">
          <h2>Verifying</h2>
          {path && (
            <p className="small">
              <code className="path">{path}</code>
            </p>
          )}
          <ProgressBar progress={progress} label="Verification progress" />
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => void cancel()} disabled={cancelling} data-testid="cancel-import">
              {cancelling ? 'Cancelling…' : 'Cancel'}
            </button>
          </div>
        </div>
      )}

      <ErrorNotice error={error} title="The bundle was not imported" onDismiss={reset} testId="import-error" />

      {phase === 'done' && outcome && (
        <>
          <OutcomeNotice outcome={outcome} />
          {outcome.report && <ReportView report={outcome.report} />}
          <div className="form-actions">
            <button type="button" className="btn" onClick={reset}>
              Clear
            </button>
          </div>
        </>
      )}
    </section>
  );
}
