import { renderJsonTemplate, renderTemplate } from '../expression';
import type { NodeImplementation } from '../node-kind';
import { descriptorOf, expressionScope } from './descriptor';

export const transformNode: NodeImplementation = {
  descriptor: descriptorOf('transform'),
  run: (context, inputs) => {
    const { template, json } = context.config as { template: string; json: boolean };
    const scope = expressionScope(inputs.values.in, context.runInputs, { all: inputs.all.in ?? [] });
    return Promise.resolve({ out: json ? renderJsonTemplate(template, scope) : renderTemplate(template, scope) });
  },
};
