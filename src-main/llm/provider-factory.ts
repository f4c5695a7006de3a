import type { Settings } from '@shared/settings';
import type { SecretStore } from '../store/secret-store';
import { AnthropicProvider } from './anthropic-provider';
import { OpenAiCompatibleProvider } from './openai-compatible-provider';
import { LlmUnavailableError, type LlmProvider } from './port';

/**
 * The provider the settings ask for. A missing Anthropic key is reported when a model is first called,
 * so workflows without agents still run.
 */
export function createLlmProvider(settings: Settings['llm'], secrets: Pick<SecretStore, 'get'>): LlmProvider {
  if (settings.provider === 'openai-compatible') {
    return new OpenAiCompatibleProvider({
      baseUrl: settings.localEndpointUrl,
      apiKey: secrets.get('localEndpointApiKey'),
    });
  }
  const apiKey = secrets.get('anthropicApiKey');
  if (!apiKey) {
    return {
      name: 'anthropic',
      complete: () =>
        Promise.reject(
          new LlmUnavailableError('no Anthropic API key: set it in Settings → Secrets or in ANTHROPIC_API_KEY'),
        ),
    };
  }
  return new AnthropicProvider({
    apiKey,
    ...(settings.anthropicBaseUrl ? { baseUrl: settings.anthropicBaseUrl } : {}),
  });
}

/** The model agents use when their node does not name one. */
export function defaultModelFor(settings: Settings['llm']): string {
  return settings.provider === 'openai-compatible' ? settings.localModel : settings.model;
}
