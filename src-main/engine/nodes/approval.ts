import type { NodeImplementation } from '../node-kind';
import { descriptorOf } from './descriptor';

export const approvalNode: NodeImplementation = {
  descriptor: descriptorOf('approval'),
  run: async (context, inputs) => {
    const payload = inputs.values.in;
    const decision = await context.awaitApproval(payload, (context.config as { prompt: string }).prompt);
    switch (decision.decision) {
      case 'approve':
        return { approved: payload };
      case 'edit':
        return { approved: decision.payload };
      case 'reject':
        return { rejected: { payload, reason: decision.reason ?? null } };
    }
  },
};
