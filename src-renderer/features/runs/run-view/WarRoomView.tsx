import { useEffect, useState } from 'react';
import type { Run } from '@shared/runs';
import { eventsOfPage } from '@shared/event-page';
import { describeError } from '../../../api/errors';
import { api } from '../../../stores/connection';
import { useNavigation } from '../../../stores/navigation';
import { ErrorMessage, TabList } from '../../../ui/components';
import { followRunEvents, type RunEventSource, type RunFollowing } from '../../builder/run/run-follower';
import { AgentTranscript } from './AgentTranscript';
import { ControlsBar } from './ControlsBar';
import { CostCharts } from './CostCharts';
import { EventLog } from './EventLog';
import { ForkDialog } from './ForkDialog';
import { RunDetails } from './RunDetails';
import { SpanDetails } from './SpanDetails';
import { Timeline } from './Timeline';
import { createWarRoom, useWarRoom, WarRoomContext, type WarRoom } from './war-room-store';
import { WarRoomTeams } from './WarRoomTeams';
import './war-room.css';

const TABS = [
  { id: 'agent', label: 'Transcript' },
  { id: 'team', label: 'Team' },
  { id: 'costs', label: 'Cost and tokens' },
  { id: 'events', label: 'Events' },
  { id: 'details', label: 'Run' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * The war room of one run, live or finished: the controls, the timeline of every agent, and tabs for
 * the selected agent's transcript, the teams, the cost charts and the raw events. Render it with
 * `key={run.id}`: one war room (store and event stream) per run.
 */
export function WarRoomView({ run, onChanged }: { run: Run; onChanged(): void }) {
  const [room] = useState(() => createWarRoom(run));
  const [streamError, setStreamError] = useState<string | null>(null);
  useFollowRun(room, run, onChanged, setStreamError);

  return (
    <WarRoomContext.Provider value={room}>
      <section className="war-room" aria-label="War room">
        <WarRoomBody run={run} onChanged={onChanged} />
        <ErrorMessage error={streamError} />
      </section>
    </WarRoomContext.Provider>
  );
}

/**
 * The run's events as the war room follows them: sent in batches (a chatty run's thousands of events a
 * second are a few messages), handed on one by one to the store, which draws them once a frame.
 */
const eventsInBatches: RunEventSource = async (input, options) => {
  const batches = await api.runs.eventBatches(input, options);
  return (async function* () {
    for await (const batch of batches) yield* batch;
  })();
};

/** Events per page when catching up on a run's history (the most the API gives): one message each. */
const CATCH_UP_PAGE = 5000;
/** While a long history is still coming, the view is redrawn at most this often (it is folded at once). */
const CATCH_UP_DRAW_MS = 500;

/**
 * Brings the war room up to date with the run's stored events, page by page, then follows the live
 * ones from the last it has; again whenever the run's record changes (an approval or a resume sets it
 * going after its stream ended). The next page is asked for before this one is folded, so the host reads
 * it meanwhile; pages are folded without drawing, and the view is drawn with the first page, then at most
 * every CATCH_UP_DRAW_MS, and once caught up. When the server ends the stream, the run's own record is
 * read for what the events do not say.
 */
function useFollowRun(room: WarRoom, run: Run, onChanged: () => void, onError: (error: string | null) => void) {
  useEffect(() => {
    let following: RunFollowing | null = null;
    let stopped = false;
    const catchUp = async (): Promise<number> => {
      let afterSeq = room.store.getState().lastSeq;
      const pageAfter = (seq: number) =>
        api.runs.eventPage({ runId: run.id, afterSeq: seq, limit: CATCH_UP_PAGE }).then(eventsOfPage);
      let next = pageAfter(afterSeq);
      let drawnAt: number | null = null;
      for (;;) {
        const page = await next;
        if (stopped) return afterSeq;
        afterSeq = page.at(-1)?.seq ?? afterSeq;
        const more = page.length === CATCH_UP_PAGE;
        if (more) next = pageAfter(afterSeq);
        room.foldHistory(page);
        if (!more || drawnAt === null || performance.now() - drawnAt >= CATCH_UP_DRAW_MS) {
          room.flush();
          drawnAt = performance.now();
        }
        if (!more) return afterSeq;
      }
    };
    const follow = (afterSeq: number) => {
      following = followRunEvents(eventsInBatches, {
        runId: run.id,
        afterSeq,
        follow: true,
        onEvent: (event) => room.receive(event),
        onError: (cause) => onError(describeError(cause)),
      });
      void following.ended.then(async (settled) => {
        if (!settled) return;
        const latest = await api.runs.get({ runId: run.id }).catch(() => null);
        if (!latest) return;
        room.settle(latest);
        if (latest.status !== run.status || latest.updatedAt !== run.updatedAt) onChanged();
      });
    };
    catchUp().then(
      (afterSeq) => {
        onError(null);
        if (!stopped) follow(afterSeq);
      },
      (cause: unknown) => {
        // The live stream reconnects by itself; it also reads what the pages could not.
        onError(describeError(cause));
        if (!stopped) follow(room.store.getState().lastSeq);
      },
    );
    return () => {
      stopped = true;
      following?.stop();
    };
    // Re-followed when the run's record changes; `onChanged` only refreshes the list around it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room, run.id, run.status, run.updatedAt]);
}

function WarRoomBody({ run, onChanged }: { run: Run; onChanged(): void }) {
  const [tab, setTab] = useState<TabId>('agent');
  const [forking, setForking] = useState<string | null>(null);
  const status = useWarRoom((state) => state.status);
  const go = useNavigation((state) => state.go);
  const finished = status === 'completed' || status === 'failed' || status === 'cancelled';

  return (
    <>
      <ControlsBar run={run} onChanged={onChanged} onFork={setForking} />
      <div className="war-main">
        <Timeline />
        <SpanDetails canFork={finished} onFork={setForking} />
      </div>
      <TabList
        tabs={TABS}
        selected={tab}
        onSelect={setTab}
        className="war-tabs"
        tabClassName="war-tab"
        label="War room views"
      />
      <div role="tabpanel" className="war-tab-panel">
        {tab === 'agent' ? <AgentTranscript /> : null}
        {tab === 'team' ? <WarRoomTeams /> : null}
        {tab === 'costs' ? <CostCharts /> : null}
        {tab === 'events' ? <EventLog /> : null}
        {tab === 'details' ? <RunDetails run={run} /> : null}
      </div>
      {forking ? (
        <ForkOf
          runId={run.id}
          nodeId={forking}
          onCancel={() => setForking(null)}
          onForked={(forked) => {
            setForking(null);
            onChanged();
            go('runs', forked.id);
          }}
        />
      ) : null}
    </>
  );
}

function ForkOf(props: { runId: string; nodeId: string; onForked(run: Run): void; onCancel(): void }) {
  const inputs = useWarRoom((state) => state.nodeInputs[props.nodeId]);
  return <ForkDialog {...props} inputs={inputs} />;
}
