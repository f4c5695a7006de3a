import { TeamConfigSchema } from '@shared/node-kinds';
import { renderTemplate } from '../../expression';
import { defineNode } from '../define-node';
import { expressionScope } from '../descriptor';
import { runHierarchical } from './hierarchical';
import { runMesh } from './mesh';
import { TeamRun } from './team-run';
import { runVote } from './vote';

const TOPOLOGIES = { hierarchical: runHierarchical, mesh: runMesh, vote: runVote };

/** A team of agents started at run time; the topology says who starts whom and when the team is done. */
export const teamNode = defineNode('team', TeamConfigSchema, async (context, inputs) => {
  const goal = renderTemplate(
    context.config.prompt,
    expressionScope(inputs.values.in, context.runInputs, { all: inputs.all.in ?? [] }),
  );
  const team = new TeamRun(context, goal);
  // Unknown roles are a mistake in the workflow: refuse before any member starts.
  const { config } = context;
  for (const member of config.members) team.role(member.role);
  if (config.topology === 'hierarchical') team.role(config.coordinator.role);
  if (config.topology === 'vote' && config.aggregation === 'judge') team.role(config.judge.role);
  try {
    const { out, detail } = await TOPOLOGIES[config.topology](team);
    return { out, detail };
  } catch (error) {
    // A member's failure stops the others with an abort; the team fails with the member's error.
    throw team.failedWith ?? error;
  }
});
