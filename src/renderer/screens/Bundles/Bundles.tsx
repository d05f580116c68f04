import { useLoadOnMount } from '../../hooks/useLoadOnMount';
import { RefreshButton } from '../../components/RefreshButton';
import { useEffect, useState } from 'react';
import { useBundles } from '../../state/bundles';
import { useUi } from '../../state/ui';
import { useAction } from '../../hooks/useAction';
import { ErrorNotice } from '../../components/ErrorNotice';
import { ScreenHeading } from '../../components/Layout';
import { ReportView } from '../../components/ReportView';
import { Time } from '../../components/Time';
import type { VerificationReportDto } from '../../../shared/ipc/contract';

export function Bundles() {
  const list = useBundles((s) => s.list);
  const loadList = useBundles((s) => s.load);
  const getReport = useBundles((s) => s.report);
  const selected = useUi((s) => s.selectedImportId);
  const openBundle = useUi((s) => s.openBundle);
  const [report, setReport] = useState<VerificationReportDto | null>(null);
  const load = useLoadOnMount(loadList);
  const reportAction = useAction(getReport);


  useEffect(() => {
    setReport(null);
    if (!selected) return;
    let live = true;
    void reportAction.run(selected).then((r) => {
      if (live && r) setReport(r);
    });
    return () => {
      live = false;
    };
  }, [selected]);

  const current = list?.find((b) => b.importId === selected);

  return (
    <section>
      <ScreenHeading actions={<RefreshButton load={load} />}>
        Bundles
      </ScreenHeading>
      <ErrorNotice error={load.error} title="Could not load the bundle list" />
      {list && list.length === 0 && <p className="empty">No bundles imported yet. Use Intake to verify and import one.</p>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="bundles-table">
            <thead>
              <tr>
                <th scope="col">Verdict</th>
                <th scope="col">Title</th>
                <th scope="col">Type</th>
                <th scope="col">Series / seq.</th>
                <th scope="col">Classification</th>
                <th scope="col">Imported</th>
                <th scope="col">
                  <span className="sr-only">Report</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={b.importId} className={b.importId === selected ? 'selected' : ''} data-testid="bundle-row" data-verdict={b.verdict}>
                  <td>
                    <span className={`pill ${b.verdict === 'accepted' ? 'pill-ok' : 'pill-bad'}`}>{b.verdict === 'accepted' ? 'Accepted' : 'Rejected'}</span>
                  </td>
                  <th scope="row">{b.title}</th>
                  <td>{b.type}</td>
                  <td>
                    {b.series} / {b.sequence}
                  </td>
                  <td>{b.classification}</td>
                  <td>
                    <Time iso={b.importedAt} compact />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-quiet"
                      onClick={() => openBundle(b.importId)}
                      aria-pressed={b.importId === selected}
                      aria-label={`Show report for ${b.title}`}
                    >
                      Report
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNotice error={reportAction.error} title="Could not load the stored report" />
      {selected && reportAction.busy && <p className="muted">Loading report…</p>}
      {report && (
        <div className="stored-report">
          <h2>Stored report{current ? `: ${current.title}` : ''}</h2>
          <ReportView report={report} />
        </div>
      )}
    </section>
  );
}
