import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunEvent } from '@shared/run-events';
import type { TimelineSpan } from '@shared/run-timeline';
import type { Run } from '@shared/runs';
import { WarRoomFold, type WarRoomSnapshot } from './war-room-fold';

export interface WarRoomState extends WarRoomSnapshot {
  runId: string;
  /** The agent whose transcript is shown. */
  selectedLaneId: string | null;
  /** The span whose details are open. */
  selectedSpan: TimelineSpan | null;
}

export interface WarRoom {
  store: StoreApi<WarRoomState>;
  /** Queues an event; the view is updated once per animation frame, whatever arrives in between. */
  receive(event: RunEvent): void;
  /**
   * Folds a page of stored history at once, without drawing it: a long run's catch-up folds page after
   * page and draws with `flush` when it wants the screen updated (rendering between pages only slowed it).
   */
  foldHistory(events: readonly RunEvent[]): void;
  /** Applies what is queued now and draws (the frame callback; tests call it directly). */
  flush(): void;
  eventAt(seq: number): RunEvent | undefined;
  recentEvents(count: number): RunEvent[];
  /** Takes the run's record once its stream ended. */
  settle(run: Run): void;
}

export type FrameScheduler = (callback: () => void) => void;

const nextAnimationFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

/**
 * The store of one run's war room. Events are coalesced per frame — a burst of thousands of events
 * (opening a long run, a chatty stream) is folded, then drawn once — and the state is set from the
 * fold's snapshot, whose parts keep their identity while unchanged, so each lane, chart and transcript
 * re-renders only when its own slice changed.
 */
export function createWarRoom(run: Run, scheduleFrame: FrameScheduler = nextAnimationFrame): WarRoom {
  const fold = new WarRoomFold(run);
  const store = createStore<WarRoomState>()(() => ({
    ...fold.snapshot(),
    runId: run.id,
    selectedLaneId: null,
    selectedSpan: null,
  }));
  let queued: RunEvent[] = [];
  let scheduled = false;
  let shown = fold.snapshot();
  const show = () => {
    const snapshot = fold.snapshot();
    if (snapshot === shown) return;
    shown = snapshot;
    store.setState(snapshot);
  };
  const flush = () => {
    scheduled = false;
    const events = queued;
    queued = [];
    for (const event of events) fold.apply(event);
    show();
  };
  return {
    store,
    receive(event) {
      queued.push(event);
      if (scheduled) return;
      scheduled = true;
      scheduleFrame(flush);
    },
    foldHistory(events) {
      for (const event of queued) fold.apply(event);
      queued = [];
      for (const event of events) fold.apply(event);
    },
    flush,
    eventAt: (seq) => fold.eventAt(seq),
    recentEvents: (count) => fold.recentEvents(count),
    settle(latest) {
      flush();
      fold.settle(latest);
      show();
    },
  };
}

export const WarRoomContext = createContext<WarRoom | null>(null);

function useWarRoomHandle(): WarRoom {
  const room = useContext(WarRoomContext);
  if (!room) throw new Error('war room components are used inside <WarRoomContext.Provider>');
  return room;
}

/** A narrow slice of the shown run's war room (select one lane, one total…, never the whole state). */
export function useWarRoom<T>(selector: (state: WarRoomState) => T): T {
  return useStore(useWarRoomHandle().store, selector);
}

/**
 * A slice for a part that is costly to draw (a chart): read at most once every `intervalMs`, the latest
 * value when the interval ends, so the part follows a live run a few times a second instead of every frame.
 */
export function useWarRoomThrottled<T>(selector: (state: WarRoomState) => T, intervalMs: number): T {
  const { store } = useWarRoomHandle();
  const [value, setValue] = useState(() => selector(store.getState()));
  const select = useRef(selector);
  useEffect(() => {
    select.current = selector;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let shownAt = performance.now();
    const show = () => {
      timer = null;
      shownAt = performance.now();
      setValue(select.current(store.getState()));
    };
    const unsubscribe = store.subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(show, Math.max(0, shownAt + intervalMs - performance.now()));
    });
    show();
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, intervalMs]);
  return value;
}

/** The war room itself, for actions (select a span) and look-ups (an event by seq). */
export function useWarRoomActions(): WarRoom {
  return useWarRoomHandle();
}
