import type { Budget } from '@shared/node-kinds';
import type { Usage } from '@shared/runs';
import type { LlmUsage } from '../llm/port';
import { BudgetExceededError } from './errors';

/** What a run has spent so far, per node execution and in all, checked against their budgets. */
export class RunSpending {
  private readonly byScope = new Map<string, { usd: number; tokens: number }>();
  private readonly spent = { usd: 0, inputTokens: 0, outputTokens: 0, tokens: 0 };

  constructor(private readonly runBudget: Budget) {}

  private addTo(scope: string, usd: number, tokens: number): { usd: number; tokens: number } {
    const spent = this.byScope.get(scope) ?? { usd: 0, tokens: 0 };
    spent.usd += usd;
    spent.tokens += tokens;
    this.byScope.set(scope, spent);
    return spent;
  }

  usage(): Usage {
    return { inputTokens: this.spent.inputTokens, outputTokens: this.spent.outputTokens, costUsd: this.spent.usd };
  }

  /** Adds model usage to the run's totals without a budget check (for work done after the graph finished). */
  count(usage: LlmUsage, costUsd: number): number {
    const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    this.spent.usd += costUsd;
    this.spent.tokens += tokens;
    this.spent.inputTokens += usage.inputTokens;
    this.spent.outputTokens += usage.outputTokens;
    return tokens;
  }

  /**
   * Counts usage against the node's budget, an enclosing one (a team's, for its members) and the run's;
   * throws BudgetExceededError, naming the node (or member), past any of them.
   */
  charge(
    nodeId: string,
    scope: string,
    usage: LlmUsage,
    costUsd: number,
    nodeBudget?: Budget,
    enclosing?: { scope: string; budget?: Budget },
  ): void {
    const tokens = this.count(usage, costUsd);
    const node = this.addTo(scope, costUsd, tokens);
    if (nodeBudget && exceeds(nodeBudget, node)) throw new BudgetExceededError('node', nodeBudget, { ...node }, nodeId);
    if (enclosing) {
      const total = this.addTo(enclosing.scope, costUsd, tokens);
      if (enclosing.budget && exceeds(enclosing.budget, total)) {
        throw new BudgetExceededError('node', enclosing.budget, { ...total }, nodeId);
      }
    }
    if (exceeds(this.runBudget, this.spent)) {
      throw new BudgetExceededError('run', this.runBudget, { usd: this.spent.usd, tokens: this.spent.tokens }, nodeId);
    }
  }
}

function exceeds(budget: Budget, spent: { usd: number; tokens: number }): boolean {
  return (
    (budget.maxUsd !== undefined && spent.usd > budget.maxUsd) ||
    (budget.maxTokens !== undefined && spent.tokens > budget.maxTokens)
  );
}
