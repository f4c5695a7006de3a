import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

/** The audit log is read-only through the API: entries are written by the actions they record. */
export function auditRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    list: os.audit.list.handler(({ input }) => app.audit.list(input)),
    verify: os.audit.verify.handler(() => app.audit.verify()),
    export: os.audit.export.handler(({ input }) => {
      const { format, ...filter } = input;
      return app.audit.export(filter, format, new Date());
    }),
  };
}
