/** The Refresh action of a screen heading, disabled while its loader runs. */
export function RefreshButton({ load }: { load: { run: () => Promise<unknown>; busy: boolean } }) {
  return (
    <button type="button" className="btn" onClick={() => void load.run()} disabled={load.busy}>
      Refresh
    </button>
  );
}
