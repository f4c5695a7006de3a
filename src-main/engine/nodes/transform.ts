import { TransformConfigSchema } from '@shared/node-kinds';
import { renderJsonTemplate, renderTemplate } from '../expression';
import { defineNode } from './define-node';
import { expressionScope } from './descriptor';

export const transformNode = defineNode('transform', TransformConfigSchema, (context, inputs) => {
  const { template, json } = context.config;
  const scope = expressionScope(inputs.values.in, context.runInputs, { all: inputs.all.in ?? [] });
  return Promise.resolve({ out: json ? renderJsonTemplate(template, scope) : renderTemplate(template, scope) });
});
