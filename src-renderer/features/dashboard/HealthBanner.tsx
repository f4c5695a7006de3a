import { useEffect, useState } from 'react';
import type { HealthAlert } from '@shared/health';
import { api, useConnection } from '../../stores/connection';
import { useNavigation } from '../../stores/navigation';

/**
 * The Sentinel's active alerts above every page, live: raised once per condition, gone when it is
 * resolved. A polite live region, not an alert role: pages' own errors keep that role to themselves.
 */
export function HealthBanner() {
  const [alerts, setAlerts] = useState<HealthAlert[]>([]);
  const connected = useConnection((store) => store.state === 'connected');
  const go = useNavigation((store) => store.go);

  useEffect(() => {
    if (!connected) return;
    const controller = new AbortController();
    void (async () => {
      try {
        const stream = await api.health.alerts(undefined, { signal: controller.signal });
        for await (const update of stream) setAlerts(update.alerts);
      } catch {
        // The stream ends when the connection drops; reconnecting subscribes again.
      }
    })();
    return () => controller.abort();
  }, [connected]);

  if (alerts.length === 0) return null;
  return (
    <section className="health-banner" aria-label="Health alerts" aria-live="polite" data-testid="health-banner">
      {alerts.map((alert) => (
        <div key={alert.id} className={`health-alert health-alert-${alert.severity}`} data-testid={`alert-${alert.id}`}>
          <strong>{alert.title}:</strong> {alert.message}{' '}
          <a
            href="#/dashboard"
            onClick={(event) => {
              event.preventDefault();
              go('dashboard');
            }}
          >
            Details
          </a>
        </div>
      ))}
    </section>
  );
}
