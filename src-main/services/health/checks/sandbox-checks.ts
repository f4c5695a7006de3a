import type { HealthCheckDefinition } from '../health-check';

/** The Docker engine the sandbox uses: reachable, and which version. */
export const dockerEngineCheck: HealthCheckDefinition = {
  id: 'docker-engine',
  title: 'Docker engine',
  alertFrom: 'fail',
  async run(context) {
    const { engine } = await context.sandboxStatus();
    if (!engine.reachable) {
      return {
        status: 'fail',
        summary: `The Docker engine is not reachable: sandboxed code cannot run.`,
        detail: engine.error ?? `not reachable at ${engine.endpoint}`,
        measured: { endpoint: engine.endpoint, reachable: false, version: null },
      };
    }
    return {
      status: 'ok',
      summary: `Docker ${engine.version ?? '?'} is running.`,
      detail: `${engine.endpoint} (Docker ${engine.version ?? '?'})`,
      measured: { endpoint: engine.endpoint, reachable: true, version: engine.version },
    };
  },
};

/** The sandbox images: a missing one is built on first use, which makes that first run slow. */
export const sandboxImagesCheck: HealthCheckDefinition = {
  id: 'sandbox-images',
  title: 'Sandbox images',
  alertFrom: null,
  async run(context) {
    const { engine, images } = await context.sandboxStatus();
    const measured = Object.fromEntries(images.map((image) => [image.language, image.present]));
    if (!engine.reachable) {
      return {
        status: 'warn',
        summary: 'Unknown: the Docker engine is not reachable.',
        detail: images.map((image) => image.tag).join(', '),
        measured,
      };
    }
    const missing = images.filter((image) => !image.present);
    return missing.length === 0
      ? {
          status: 'ok',
          summary: `All ${images.length} images are built.`,
          detail: images.map((image) => image.tag).join(', '),
          measured,
        }
      : {
          status: 'warn',
          summary: `${missing.map((image) => image.language).join(', ')} not built yet: built on first use.`,
          detail: `Missing: ${missing.map((image) => image.tag).join(', ')}. Build them with "warroom sandbox build".`,
          measured,
        };
  },
};

/** Containers started ahead of time so the next execution does not wait for one. */
export const warmPoolCheck: HealthCheckDefinition = {
  id: 'warm-pool',
  title: 'Warm pool',
  alertFrom: null,
  async run(context) {
    const { warmContainers } = await context.sandboxStatus();
    const size = context.settings().sandbox.warmPoolSize;
    const warm = Object.values(warmContainers).reduce((total, count) => total + count, 0);
    const byLanguage = Object.entries(warmContainers).map(([language, count]) => `${language}: ${count}`);
    return {
      status: 'ok',
      summary:
        size === 0
          ? 'Off (pool size 0): each execution starts its own container.'
          : `${warm} warm container${warm === 1 ? '' : 's'} (up to ${size} per language in use).`,
      detail: `${byLanguage.length > 0 ? `Warm now: ${byLanguage.join(', ')}` : 'No language used since start-up'}; pool size ${size}.`,
      measured: { warm, poolSize: size, ...warmContainers },
    };
  },
};
