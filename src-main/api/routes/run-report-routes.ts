import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

/** runs.compare and runs.export: reading finished runs side by side, or out as a file. */
export function runReportRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    compare: os.runs.compare.handler(({ input }) => app.runComparison.compare(input.a, input.b)),
    export: os.runs.export.handler(({ input }) => app.runExports.export(input.runId, input.format)),
  };
}
