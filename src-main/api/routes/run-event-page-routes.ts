import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

/** The runs API's paged history read (the war room's catch-up on a long run before it follows it live). */
export function runEventPageRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    eventPage: os.runs.eventPage.handler(({ input }) => app.runs.eventPage(input.runId, input.afterSeq, input.limit)),
  };
}
