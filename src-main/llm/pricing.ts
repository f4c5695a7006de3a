import type { LlmUsage } from './port';

/** USD per million tokens. Cache writes cost 1.25× input, cache reads 0.1× input (Anthropic's published ratios). */
interface ModelPrice {
  input: number;
  output: number;
}

const PRICES: Array<[prefix: string, price: ModelPrice]> = [
  // Opus 4.5 came with a lower price than Opus 4 and 4.1; first match wins, so it is listed first.
  ['claude-opus-4-5', { input: 5, output: 25 }],
  ['claude-opus-4', { input: 15, output: 75 }],
  ['claude-sonnet-4', { input: 3, output: 15 }],
  ['claude-3-7-sonnet', { input: 3, output: 15 }],
  ['claude-3-5-sonnet', { input: 3, output: 15 }],
  ['claude-haiku-4', { input: 1, output: 5 }],
  ['claude-3-5-haiku', { input: 0.8, output: 4 }],
  ['claude-3-haiku', { input: 0.25, output: 1.25 }],
];

/** Unknown models are priced like Sonnet, so a budget still bites rather than reading zero. */
const FALLBACK_PRICE: ModelPrice = { input: 3, output: 15 };

export function priceOf(model: string): ModelPrice {
  return PRICES.find(([prefix]) => model.startsWith(prefix))?.[1] ?? FALLBACK_PRICE;
}

export function costOf(model: string, usage: LlmUsage): number {
  const price = priceOf(model);
  const perToken = (perMillion: number) => perMillion / 1_000_000;
  return (
    usage.inputTokens * perToken(price.input) +
    usage.cacheWriteTokens * perToken(price.input * 1.25) +
    usage.cacheReadTokens * perToken(price.input * 0.1) +
    usage.outputTokens * perToken(price.output)
  );
}
