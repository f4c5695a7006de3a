import { describeError, type HealthCheckDefinition, type ModelEndpoint } from '../health-check';

export const MODEL_PROBE_TIMEOUT_MS = 5000;
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The request that proves the endpoint answers without spending tokens: listing models (Anthropic's
 * GET /v1/models, an OpenAI-compatible server's GET /models). The key goes to that endpoint only, in the
 * header its API expects, and appears in no result.
 */
function probeRequest(endpoint: ModelEndpoint): { url: string; headers: Record<string, string> } {
  const base = endpoint.url.replace(/\/+$/, '');
  if (endpoint.provider === 'anthropic') {
    return {
      url: `${base}/v1/models?limit=1`,
      headers: { 'anthropic-version': ANTHROPIC_VERSION, ...(endpoint.apiKey ? { 'x-api-key': endpoint.apiKey } : {}) },
    };
  }
  return {
    url: `${base}/models`,
    headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
  };
}

/** The configured model endpoint: reachable, how fast it answers, and whether it takes the key. */
export const modelEndpointCheck: HealthCheckDefinition = {
  id: 'model-endpoint',
  title: 'Model endpoint',
  alertFrom: 'fail',
  async run(context) {
    const endpoint = context.modelEndpoint();
    const base = { provider: endpoint.provider, url: endpoint.url };
    if (endpoint.provider === 'anthropic' && !endpoint.apiKey) {
      return {
        status: 'warn',
        summary: 'No Anthropic API key: agents cannot call Claude.',
        detail: 'Set ANTHROPIC_API_KEY or save the key in Settings (or use a local model endpoint). Not probed.',
        measured: { ...base, latencyMs: null, httpStatus: null },
      };
    }
    const { url, headers } = probeRequest(endpoint);
    const started = performance.now();
    let status: number;
    try {
      const response = await context.fetch(url, { headers, signal: AbortSignal.timeout(MODEL_PROBE_TIMEOUT_MS) });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      return {
        status: 'fail',
        summary: `The model endpoint is not reachable.`,
        detail: `GET ${url} failed: ${describeError(error)}`,
        measured: { ...base, latencyMs: null, httpStatus: null },
      };
    }
    const latencyMs = Math.round(performance.now() - started);
    const measured = { ...base, latencyMs, httpStatus: status };
    if (status === 401 || status === 403) {
      return {
        status: 'fail',
        summary: `The model endpoint refused the API key (${status}).`,
        detail: `GET ${url} answered ${status}: set a valid key in Settings.`,
        measured,
      };
    }
    if (status >= 400) {
      return {
        status: 'warn',
        summary: `The model endpoint answered ${status} in ${latencyMs} ms.`,
        detail: `GET ${url} answered ${status}; model calls may still work.`,
        measured,
      };
    }
    return {
      status: 'ok',
      summary: `Answers in ${latencyMs} ms.`,
      detail: `GET ${url} answered ${status} in ${latencyMs} ms`,
      measured,
    };
  },
};
