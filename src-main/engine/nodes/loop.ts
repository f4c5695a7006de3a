import { LoopConfigSchema } from '@shared/node-kinds';
import { evaluateExpression, truthy } from '../expression';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

/**
 * The first activation sends `in` round the body; each later one receives the body's result on `next`
 * and either exits on `done` (exit expression true, or iterations used up) or goes round again.
 */
export const loopNode = defineNode('loop', LoopConfigSchema, (context, inputs) => {
  const { maxIterations, exitWhen } = context.config;
  if (!Object.hasOwn(inputs.values, 'next')) {
    context.emit('loop.iteration', { iteration: 1 });
    return Promise.resolve({ body: inputs.values.in });
  }
  const value = inputs.values.next;
  const completed = context.activation - 1;
  const exit = truthy(
    evaluateExpression(exitWhen, expressionScope(value, context.runInputs, { iteration: completed })),
  );
  if (exit || completed >= maxIterations) {
    context.emit('loop.iteration', { iteration: completed, exit: exit ? 'condition' : 'max-iterations' });
    return Promise.resolve({ done: value });
  }
  context.emit('loop.iteration', { iteration: completed + 1 });
  return Promise.resolve({ body: value });
});
