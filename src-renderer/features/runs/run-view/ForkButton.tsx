import { useState } from 'react';
import { useNavigation } from '../../../stores/navigation';
import { ForkDialog } from './ForkDialog';

/** "Fork from here…" for one node of a finished run (the Builder's run panel): the forked run opens in the war room. */
export function ForkButton(props: { runId: string; nodeId: string; label: string }) {
  const [open, setOpen] = useState(false);
  const go = useNavigation((state) => state.go);
  return (
    <>
      <button
        type="button"
        className="button small"
        title={`Edit the input of ${props.label} and run again from it (nothing upstream is run again)`}
        onClick={() => setOpen(true)}
      >
        Fork from {props.label}…
      </button>
      {open ? (
        <ForkDialog
          runId={props.runId}
          nodeId={props.nodeId}
          inputs={undefined}
          onCancel={() => setOpen(false)}
          onForked={(forked) => {
            setOpen(false);
            go('runs', forked.id);
          }}
        />
      ) : null}
    </>
  );
}
