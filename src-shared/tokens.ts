/** A cheap token estimate (about four characters per token for English and code) for prompt budgets. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
