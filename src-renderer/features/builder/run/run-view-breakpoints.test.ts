import { beforeEach, describe, expect, it } from 'vitest';
import { applyRunEvent, initialRunView } from './run-view';
import { restartRunEvents, runEvent as event } from './testing/run-events';

const hit = (key: string, nodeId: string) =>
  event({
    type: 'breakpoint.hit',
    nodeId,
    data: {
      key,
      scope: `${nodeId}#1`,
      kind: 'tool',
      cause: 'breakpoint',
      tool: { id: 't1', name: 'write_file' },
      pending: { path: 'a.txt' },
    },
  });

describe('run view at breakpoints', () => {
  beforeEach(restartRunEvents);

  it('shows the pending tool call while paused, and nothing once it is continued', () => {
    let state = [hit('tool:coder#1:t1', 'coder')].reduce(applyRunEvent, initialRunView(null, ['coder']));
    expect(state.status).toBe('paused');
    expect(state.breakpoint).toMatchObject({ nodeId: 'coder', kind: 'tool', pending: { path: 'a.txt' }, seq: 1 });
    expect(state.nodes.coder?.transcript.at(-1)).toEqual({ kind: 'note', text: 'Paused before calling write_file' });
    state = applyRunEvent(
      state,
      event({
        type: 'breakpoint.resumed',
        nodeId: 'coder',
        data: { key: 'tool:coder#1:t1', scope: 'coder#1', action: 'continue', edited: { path: 'b.txt' } },
      }),
    );
    expect(state).toMatchObject({ status: 'running', breakpoint: null });
    expect(state.nodes.coder?.transcript.at(-1)).toEqual({ kind: 'note', text: 'Continued with an edited value' });
  });

  it('forgets the pause when the run is cancelled while paused', () => {
    const state = [hit('tool:coder#1:t1', 'coder'), event({ type: 'run.cancelled', nodeId: null, data: {} })].reduce(
      applyRunEvent,
      initialRunView(null, ['coder']),
    );
    expect(state).toMatchObject({ status: 'cancelled', breakpoint: null });
  });
});
