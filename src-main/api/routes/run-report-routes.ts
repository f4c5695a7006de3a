import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

/** runs.compare, runs.export and runs.artifact: reading runs side by side, out as a file, their artifacts. */
export function runReportRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    compare: os.runs.compare.handler(({ input }) => app.runComparison.compare(input.a, input.b)),
    export: os.runs.export.handler(({ input }) => app.runExports.export(input.runId, input.format)),
    artifact: os.runs.artifact.handler(({ input }) => {
      app.runs.get(input.runId); // a run that does not exist is NOT_FOUND, not an empty folder
      return app.runArtifacts.read(input.runId, input.path);
    }),
  };
}
