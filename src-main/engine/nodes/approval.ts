import { ApprovalConfigSchema } from '@shared/node-kinds';
import { defineNode } from './define-node';

export const approvalNode = defineNode('approval', ApprovalConfigSchema, async (context, inputs) => {
  const payload = inputs.values.in;
  const decision = await context.awaitApproval(payload, context.config.prompt);
  switch (decision.decision) {
    case 'approve':
      return { approved: payload };
    case 'edit':
      return { approved: decision.payload };
    case 'reject':
      return { rejected: { payload, reason: decision.reason ?? null } };
  }
});
