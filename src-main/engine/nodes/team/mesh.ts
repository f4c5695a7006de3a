import type { AgentTool } from '../../agent-loop';
import { toolSpec } from '../../tool-spec';
import type { TeamRun } from './team-run';

interface BoardMessage {
  round: number;
  from: string;
  to: string;
  text: string;
}

/**
 * Peers: members work in rounds on a shared message board, each round concurrently. A member sees the
 * board as it stood when the round began (so a round's outcome does not depend on who finished first);
 * what it posts reaches the board, in member order, when the round ends. The team ends after a round in
 * which every member called `agree`, or after `maxRounds`.
 */
export async function runMesh(team: TeamRun): Promise<{ out: string; detail: unknown }> {
  const { config } = team;
  const names = config.members.map((member, index) => memberName(member.role, index, config.members));
  const board: BoardMessage[] = [];
  let answers: string[] = [];
  let agreed = false;
  let rounds = 0;
  for (let round = 1; round <= config.maxRounds && !agreed; round++) {
    rounds = round;
    const seen = board.slice();
    const posts: BoardMessage[][] = names.map(() => []);
    const agreements: boolean[] = names.map(() => false);
    answers = await Promise.all(
      config.members.map(async (member, index) => {
        const name = names[index] ?? member.role;
        const tools = boardTools(team, name, names, round, seen, posts[index] ?? [], () => {
          agreements[index] = true;
        });
        try {
          return await team.runMember({
            taskId: `r${round}.${index + 1}`,
            parentId: null,
            member,
            task: roundTask(team.goal, round, config.maxRounds, seen, name),
            depth: 0,
            briefing: `You are ${name}, one of the peers ${names.join(', ')}. Discuss on the board until you all agree.`,
            teamTools: tools,
          });
        } catch (error) {
          if (team.stopsTheTeam(error) || config.onMemberError === 'fail') {
            team.fail(error instanceof Error ? error : new Error(String(error)));
          }
          return `(${name} failed: ${error instanceof Error ? error.message : String(error)})`;
        }
      }),
    );
    board.push(...posts.flat());
    agreed = agreements.every(Boolean);
    team.context.emit('team.round.completed', { round, agreed });
  }
  const out = names.map((name, index) => `## ${name}\n${answers[index] ?? ''}`).join('\n\n');
  return {
    out,
    detail: {
      topology: 'mesh',
      agreed,
      rounds,
      board,
      answers: Object.fromEntries(names.map((name, index) => [name, answers[index] ?? ''])),
    },
  };
}

function memberName(role: string, index: number, members: ReadonlyArray<{ role: string }>): string {
  return members.filter((member) => member.role === role).length > 1 ? `${role}-${index + 1}` : role;
}

function roundTask(goal: string, round: number, maxRounds: number, board: BoardMessage[], name: string): string {
  const shown = board.map((message) => `[round ${message.round}] ${message.from} → ${message.to}: ${message.text}`);
  return [
    `Goal: ${goal}`,
    `Round ${round} of ${maxRounds}. The board so far:`,
    shown.length > 0 ? shown.join('\n') : '(empty)',
    `As ${name}: post what the others should hear with post_message, and call agree when you accept where the discussion stands. Then answer with your current position.`,
  ].join('\n\n');
}

function boardTools(
  team: TeamRun,
  name: string,
  names: string[],
  round: number,
  seen: readonly BoardMessage[],
  posted: BoardMessage[],
  agree: () => void,
): Map<string, AgentTool> {
  const post: AgentTool = {
    spec: toolSpec(
      'post_message',
      'Posts a message on the team board, to one peer or to all; the others read it next round.',
      { to: { type: 'string', enum: [...names, 'all'] }, text: { type: 'string' } },
      ['text'],
    ),
    journaled: false,
    run: (input) => {
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (!text) return Promise.resolve({ content: '"text" must be a non-empty string', isError: true });
      const to = typeof input.to === 'string' && names.includes(input.to) ? input.to : 'all';
      posted.push({ round, from: name, to, text });
      team.context.emit('team.message.posted', { round, from: name, to, text });
      return Promise.resolve(`posted to ${to}`);
    },
  };
  const read: AgentTool = {
    spec: toolSpec('read_messages', 'The board as it stood at the start of this round, and what you posted since.', {}),
    journaled: false,
    run: () => {
      const messages = [...seen, ...posted].filter(
        (message) => message.to === 'all' || message.to === name || message.from === name,
      );
      return Promise.resolve(
        messages
          .map((message) => `[round ${message.round}] ${message.from} → ${message.to}: ${message.text}`)
          .join('\n') || 'the board is empty',
      );
    },
  };
  const agreeTool: AgentTool = {
    spec: toolSpec('agree', 'Declares that you agree with where the discussion stands.', {
      reason: { type: 'string' },
    }),
    journaled: false,
    run: (input) => {
      agree();
      team.context.emit('team.member.agreed', {
        round,
        member: name,
        reason: typeof input.reason === 'string' ? input.reason : '',
      });
      return Promise.resolve('agreement noted');
    },
  };
  return new Map([
    ['post_message', post],
    ['read_messages', read],
    ['agree', agreeTool],
  ]);
}
