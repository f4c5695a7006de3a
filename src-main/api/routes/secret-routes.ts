import { SECRET_NAMES } from '@shared/settings';
import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

/** Secrets can be set and cleared; their values are never returned. */
export function secretRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    status: os.secrets.status.handler(() => SECRET_NAMES.map((name) => app.secrets.status(name))),
    set: os.secrets.set.handler(({ input }) => app.secrets.set(input.name, input.value)),
    clear: os.secrets.clear.handler(({ input }) => app.secrets.clear(input.name)),
  };
}
