import { EmptyState, PageHeader } from '../../ui/components';

export function MemoryPage() {
  return (
    <>
      <PageHeader title="Memory" subtitle="What agents have learned about your projects, searchable and editable." />
      <EmptyState title="No project memory">
        <p className="muted">
          This build has no memory store yet. When it does, every item agents keep will be shown, searchable and
          deletable here.
        </p>
      </EmptyState>
    </>
  );
}
