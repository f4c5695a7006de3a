import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function statsRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    dashboard: os.stats.dashboard.handler(({ input }) => app.stats.dashboard(input)),
  };
}
