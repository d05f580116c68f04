import { useLoadOnMount } from '../../hooks/useLoadOnMount';
import { RefreshButton } from '../../components/RefreshButton';
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useAudit } from '../../state/audit';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice, InfoNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { Time } from '../../components/Time';
import type { AuditRecordDto } from '../../../shared/ipc/contract';

const ROW_HEIGHT = 34;

function RecordDetail({ record }: { record: AuditRecordDto }) {
  return (
    <div className="panel" data-testid="audit-detail" aria-live="polite">
      <h2>Record #{record.seq}</h2>
      <dl className="kv kv-grid">
        <div>
          <dt>Time</dt>
          <dd>
            <Time iso={record.time} />
          </dd>
        </div>
        <div>
          <dt>Actor</dt>
          <dd>{record.actor}</dd>
        </div>
        <div>
          <dt>Action</dt>
          <dd>
            <code>{record.action}</code>
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>{record.target ?? '—'}</dd>
        </div>
        <div>
          <dt>Outcome</dt>
          <dd>{record.outcome === 'success' ? 'Success' : 'Failure'}</dd>
        </div>
        <div>
          <dt>Chain hash</dt>
          <dd>
            <code className="fingerprint">{record.hash}</code>
          </dd>
        </div>
      </dl>
      {record.detail && Object.keys(record.detail).length > 0 && (
        <>
          <h3>Detail</h3>
          <pre className="json">{JSON.stringify(record.detail, null, 2)}</pre>
        </>
      )}
    </div>
  );
}

export function Audit() {
  const { records, loaded, hasMore, loading, check, reload, loadMore, verify } = useAudit();
  const load = useLoadOnMount(reload);
  const more = useAction(loadMore);
  const verifyAction = useAction(verify);
  const [selected, setSelected] = useState<number | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);


  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= records.length - 20 && hasMore && !loading && loaded && !more.error) void more.run();
  }, [last?.index, records.length, hasMore, loading, loaded]);

  const selectedRecord = selected === null ? undefined : records.find((r) => r.seq === selected);

  const showSeq = (seq: number) => {
    const index = records.findIndex((r) => r.seq === seq);
    setSelected(seq);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
  };

  return (
    <section>
      <ScreenHeading
        actions={
          <>
            <RefreshButton load={load} />
            <button type="button" className="btn btn-primary" onClick={() => void verifyAction.run()} disabled={verifyAction.busy} data-testid="audit-verify">
              {verifyAction.busy ? 'Verifying…' : 'Verify chain'}
            </button>
          </>
        }
      >
        Audit trail
      </ScreenHeading>
      <p className="muted">
        Every action in this vault, newest first. Each record is hash-chained to the one before it, so any change or deletion
        breaks the chain.
      </p>
      <ErrorNotice error={verifyAction.error} title="The chain could not be verified" />
      {check &&
        (check.ok ? (
          <InfoNotice tone="ok" testId="audit-verify-result">
            <p data-result="intact">
              <strong>Chain intact.</strong> All {check.records} record{check.records === 1 ? '' : 's'} verified; database
              integrity: {check.integrity}.
            </p>
          </InfoNotice>
        ) : (
          <div className="notice notice-error" role="alert" data-testid="audit-verify-result">
            <div className="notice-body" data-result="broken">
              <strong className="notice-title">The audit chain is broken.</strong>
              {check.firstBroken ? (
                <p>
                  First broken record: <strong>#{check.firstBroken.seq}</strong>. {check.firstBroken.reason}{' '}
                  <button type="button" className="btn btn-quiet" onClick={() => showSeq(check.firstBroken!.seq)}>
                    Show record #{check.firstBroken.seq}
                  </button>
                </p>
              ) : (
                <p>Database integrity: {check.integrity}.</p>
              )}
              <p>Records may have been altered or deleted. Do not modify the vault; report this to your security officer.</p>
            </div>
          </div>
        ))}
      <ErrorNotice error={load.error ?? more.error} title="Could not load the audit trail" />

      <div className="audit" role="table" aria-label="Audit records" aria-rowcount={records.length + 1} data-testid="audit-list">
        <div className="audit-row audit-head" role="row" aria-rowindex={1}>
          <span role="columnheader">#</span>
          <span role="columnheader">Time (UTC)</span>
          <span role="columnheader">Actor</span>
          <span role="columnheader">Action</span>
          <span role="columnheader">Target</span>
          <span role="columnheader">Outcome</span>
        </div>
        <div className="audit-scroll" ref={scrollRef} role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const r = records[item.index];
              if (!r) return null;
              const broken = check && !check.ok && check.firstBroken?.seq === r.seq;
              return (
                <div
                  key={r.seq}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected === r.seq}
                  tabIndex={0}
                  className={`audit-row${selected === r.seq ? ' selected' : ''}${broken ? ' broken' : ''} outcome-${r.outcome}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
                  onClick={() => setSelected(r.seq)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelected(r.seq);
                    }
                  }}
                  data-testid="audit-row"
                  data-action={r.action}
                  data-seq={r.seq}
                >
                  <span role="cell" className="num">
                    {r.seq}
                  </span>
                  <span role="cell">
                    <Time iso={r.time} compact />
                  </span>
                  <span role="cell">{r.actor}</span>
                  <span role="cell">
                    <code>{r.action}</code>
                  </span>
                  <span role="cell" className="ellipsis" title={r.target ?? ''}>
                    {r.target ?? '—'}
                  </span>
                  <span role="cell">
                    <span className={`pill ${r.outcome === 'success' ? 'pill-ok' : 'pill-bad'}`}>
                      {r.outcome === 'success' ? 'Success' : 'Failure'}
                    </span>
                  </span>
                </div>
              );
            })}
          </div>
          {loaded && records.length === 0 && <p className="empty">No audit records yet.</p>}
        </div>
        <p className="muted small audit-foot">
          {records.length} record{records.length === 1 ? '' : 's'} loaded{hasMore ? ' · scroll for older records' : ''}
          {loading ? ' · loading…' : ''}
        </p>
      </div>
      {selectedRecord && <RecordDetail record={selectedRecord} />}
    </section>
  );
}
