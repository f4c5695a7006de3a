import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function settingsRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    get: os.settings.get.handler(() => app.settings.get()),
    update: os.settings.update.handler(({ input }) => app.settings.update(input)),
    reset: os.settings.reset.handler(() => app.settings.reset()),
    changes: os.settings.changes.handler(async function* ({ signal }) {
      try {
        yield* app.settings.changes(signal);
      } catch (error) {
        // The subscriber went away: end the stream quietly.
        if (signal?.aborted) return;
        throw error;
      }
    }),
  };
}
