import type { HealthAlert } from '@shared/health';
import type { Sentinel } from '../../services/health/sentinel';

/** What the desktop shows for an alert; the Electron host passes its `Notification`. */
export interface DesktopNotifier {
  isSupported(): boolean;
  show(notice: { title: string; body: string; urgency: 'normal' | 'critical' }): void;
}

export function noticeOf(alert: HealthAlert): { title: string; body: string; urgency: 'normal' | 'critical' } {
  return {
    title: `War Room: ${alert.title}`,
    body: alert.message,
    urgency: alert.severity === 'critical' ? 'critical' : 'normal',
  };
}

/**
 * A desktop notification for each alert the Sentinel raises (once per condition: it does not repeat
 * while the condition lasts). The banner in the window shows the same alerts. Returns the unsubscribe.
 */
export function showHealthNotifications(sentinel: Pick<Sentinel, 'onRaised'>, notifier: DesktopNotifier): () => void {
  return sentinel.onRaised((alert) => {
    if (notifier.isSupported()) notifier.show(noticeOf(alert));
  });
}
