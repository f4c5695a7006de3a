import { LoopConfigSchema } from '@shared/node-kinds';
import { evaluateExpression, truthy } from '../expression';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

/**
 * The first activation sends `in` round the body; each later one receives the body's result on `next`
 * and either exits on `done` (exit expression true, or iterations used up) or goes round again. Before
 * each round a breakpoint may pause it (`loop@N`), and the user may edit the value going round.
 */
export const loopNode = defineNode('loop', LoopConfigSchema, async (context, inputs) => {
  const { maxIterations, exitWhen } = context.config;
  if (!Object.hasOwn(inputs.values, 'next')) {
    context.emit('loop.iteration', { iteration: 1 });
    return { body: await context.pauseBefore({ kind: 'loop', iteration: 1, pending: inputs.values.in }) };
  }
  const value = inputs.values.next;
  const completed = context.activation - 1;
  const exit = truthy(
    evaluateExpression(exitWhen, expressionScope(value, context.runInputs, { iteration: completed })),
  );
  if (exit || completed >= maxIterations) {
    context.emit('loop.iteration', { iteration: completed, exit: exit ? 'condition' : 'max-iterations' });
    return { done: value };
  }
  context.emit('loop.iteration', { iteration: completed + 1 });
  return { body: await context.pauseBefore({ kind: 'loop', iteration: completed + 1, pending: value }) };
});
