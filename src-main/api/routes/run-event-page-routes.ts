import { toEventPage } from '@shared/event-page';
import type { WarRoom } from '../../app';
import { inBatches } from '../event-batches';
import type { ApiImplementer } from '../implementer';

/** How long a batch of live events stays open after its first event, and how many it takes at most. */
const BATCH_WINDOW_MS = 15;
const BATCH_MAX_EVENTS = 1000;

/**
 * The runs API's reads for a viewer of a long or chatty run (the war room): its stored history in pages
 * (to catch up), then its events in batches (to follow it live).
 */
export function runEventPageRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    eventPage: os.runs.eventPage.handler(({ input }) =>
      toEventPage(app.runs.eventPage(input.runId, input.afterSeq, input.limit)),
    ),
    eventBatches: os.runs.eventBatches.handler(async function* ({ input, signal }) {
      const events = app.runs.events(input.runId, input.afterSeq, {
        follow: input.follow,
        ...(signal ? { signal } : {}),
      });
      try {
        yield* inBatches(events, { windowMs: BATCH_WINDOW_MS, maxSize: BATCH_MAX_EVENTS });
      } catch (error) {
        // The subscriber went away: end the stream quietly.
        if (signal?.aborted) return;
        throw error;
      }
    }),
  };
}
