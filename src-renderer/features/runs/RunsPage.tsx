import { EmptyState, PageHeader } from '../../ui/components';

export function RunsPage() {
  return (
    <>
      <PageHeader title="Runs" subtitle="Run history, live transcripts and replay." />
      <EmptyState title="No runs">
        <p className="muted">
          This build cannot run workflows yet: the agent engine is not part of it. Runs will be listed here once it is.
        </p>
      </EmptyState>
    </>
  );
}
