import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function appRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    info: os.app.info.handler(() => app.info()),
    health: os.app.health.handler(() => app.health()),
  };
}
