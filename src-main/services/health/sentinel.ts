import { EventEmitter, on } from 'node:events';
import type { HealthAlert, HealthAlerts, HealthCheck, HealthReport } from '@shared/health';
import type { SandboxStatus } from '@shared/sandbox';
import { evaluateAlerts } from './alerts';
import { describeError, worstStatus, type HealthCheckDefinition, type HealthContext } from './health-check';

export type SentinelContext = Omit<HealthContext, 'refresh' | 'sandboxStatus'> & {
  sandboxStatus: () => Promise<SandboxStatus>;
  /** Seconds between checks while the monitor runs (read before each wait, so a settings change applies). */
  intervalSeconds: () => number;
};

/**
 * The Sentinel: runs the health checks (on demand, and every interval while the monitor runs), keeps
 * the latest report, and turns failing checks and crossed thresholds into alerts, published as a stream
 * and to listeners (the Electron host's desktop notifications).
 */
export class Sentinel {
  private readonly emitter = new EventEmitter();
  private readonly byId: ReadonlyMap<string, HealthCheckDefinition>;
  private latest: HealthReport | null = null;
  private alerts: HealthAlert[] = [];
  private alertsAt: string;
  private running: Promise<HealthReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly checks: readonly HealthCheckDefinition[],
    private readonly context: SentinelContext,
  ) {
    this.byId = new Map(checks.map((check) => [check.id, check]));
    this.alertsAt = context.now().toISOString();
    // Each open window holds a listener on the alert stream.
    this.emitter.setMaxListeners(0);
  }

  /** The latest report; runs the checks when there is none yet or when `refresh` asks for fresh figures. */
  async report(refresh = false): Promise<HealthReport> {
    if (this.latest && !refresh) return this.latest;
    return this.evaluate(refresh);
  }

  /** Runs every check now (one evaluation at a time: a caller arriving meanwhile shares it). */
  evaluate(refresh = false): Promise<HealthReport> {
    this.running ??= this.runChecks(refresh).finally(() => (this.running = null));
    return this.running;
  }

  currentAlerts(): HealthAlerts {
    return { alerts: this.alerts, at: this.alertsAt };
  }

  /** The active alerts now, then each time they change, until `signal` aborts or the Sentinel closes. */
  async *alertStream(signal?: AbortSignal): AsyncGenerator<HealthAlerts> {
    const controller = new AbortController();
    const stop = () => controller.abort();
    signal?.addEventListener('abort', stop, { once: true });
    this.emitter.once('close', stop);
    // Listening starts before the first yield, so a change made meanwhile is queued, not lost.
    const changes = on(this.emitter, 'alerts', { signal: controller.signal });
    try {
      yield this.currentAlerts();
      for await (const [alerts] of changes) {
        yield alerts as HealthAlerts;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      signal?.removeEventListener('abort', stop);
      this.emitter.off('close', stop);
    }
  }

  /** Called once for each newly raised alert; returns the unsubscribe. */
  onRaised(listener: (alert: HealthAlert) => void): () => void {
    this.emitter.on('raised', listener);
    return () => this.emitter.off('raised', listener);
  }

  /** Checks now, then every `intervalSeconds`, until close(). The timer does not keep the process alive. */
  start(): void {
    if (this.timer || this.closed) return;
    const tick = () => {
      this.timer = null;
      if (this.closed) return;
      void this.evaluate()
        .catch(() => {})
        .finally(() => {
          if (this.closed) return;
          this.timer = setTimeout(tick, this.context.intervalSeconds() * 1000);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.emitter.emit('close');
    this.emitter.removeAllListeners('raised');
  }

  private async runChecks(refresh: boolean): Promise<HealthReport> {
    let sandbox: Promise<SandboxStatus> | null = null;
    const context: HealthContext = {
      ...this.context,
      refresh,
      sandboxStatus: () => (sandbox ??= this.context.sandboxStatus()),
    };
    const checks = await Promise.all(this.checks.map((definition) => this.runOne(definition, context)));
    const now = this.context.now();
    const report: HealthReport = {
      status: worstStatus(checks.map((check) => check.status)),
      checkedAt: now.toISOString(),
      checks,
    };
    if (this.closed) return report;
    this.latest = report;
    const evaluation = evaluateAlerts(this.alerts, checks, this.byId, now);
    this.alerts = evaluation.active;
    if (evaluation.changed) {
      this.alertsAt = now.toISOString();
      this.emitter.emit('alerts', this.currentAlerts());
    }
    for (const alert of evaluation.raised) this.emitter.emit('raised', alert);
    return report;
  }

  /** A check that throws reports a failure of its own instead of taking the others down with it. */
  private async runOne(definition: HealthCheckDefinition, context: HealthContext): Promise<HealthCheck> {
    const stamp = { id: definition.id, title: definition.title };
    try {
      const result = await definition.run(context);
      return { ...stamp, ...result, checkedAt: this.context.now().toISOString() };
    } catch (error) {
      return {
        ...stamp,
        status: 'fail',
        summary: 'The check itself failed.',
        detail: describeError(error),
        measured: {},
        checkedAt: this.context.now().toISOString(),
      };
    }
  }
}
