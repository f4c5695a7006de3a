import type { Run } from '@shared/runs';
import { CodeDetail } from '../../../ui/components';
import { useWarRoom } from './war-room-store';

/** The run's record: where it ran, what it was given, and what it produced. */
export function RunDetails({ run }: { run: Run }) {
  const status = useWarRoom((state) => state.status);
  return (
    <>
      <dl className="details">
        <CodeDetail term="Run id">{run.id}</CodeDetail>
        {run.sourceRunId ? <CodeDetail term={`${run.mode} of`}>{run.sourceRunId}</CodeDetail> : null}
        <CodeDetail term="Project">{run.projectDir}</CodeDetail>
        <CodeDetail term="Inputs">{JSON.stringify(run.inputs)}</CodeDetail>
        <CodeDetail term="Budget">{JSON.stringify(run.budget)}</CodeDetail>
      </dl>
      {status === 'completed' || Object.keys(run.outputs).length > 0 ? (
        <>
          <h3 className="run-section">Outputs</h3>
          <pre className="run-output" data-testid="war-room-outputs">
            {JSON.stringify(run.outputs, null, 2)}
          </pre>
        </>
      ) : null}
    </>
  );
}
