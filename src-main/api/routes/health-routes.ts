import type { WarRoom } from '../../app';
import type { ApiImplementer } from '../implementer';

export function healthRoutes(os: ApiImplementer, app: WarRoom) {
  return {
    report: os.health.report.handler(({ input }) => app.sentinel.report(input.refresh)),
    // The stream ends quietly when the subscriber goes away or the app closes.
    alerts: os.health.alerts.handler(({ signal }) => app.sentinel.alertStream(signal)),
  };
}
