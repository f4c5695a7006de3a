import type { TeamMember } from '@shared/node-kinds';
import { jsonObjectIn } from '../../model-json';
import type { TeamRun } from './team-run';

interface Ballot {
  voter: string;
  answer: string;
}

interface TallyEntry {
  answer: string;
  votes: number;
  voters: string[];
}

export class QuorumError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuorumError';
  }
}

/**
 * Voters answer the same question independently and in parallel. A voter that fails or runs past
 * `voterTimeoutMs` abstains; below the quorum the node fails with the tally. The answers are combined
 * by majority (more than half of the votes cast for one answer), unanimity, or a judge agent.
 */
export async function runVote(team: TeamRun): Promise<{ out: string; detail: unknown }> {
  const { config, context } = team;
  const voters = config.members.map((member, index) => ({ member, name: `voter-${index + 1}-${member.role}` }));
  const quorum = config.quorum ?? Math.floor(voters.length / 2) + 1;
  const results = await Promise.all(
    voters.map(async ({ member, name }, index): Promise<Ballot | { voter: string; abstained: string }> => {
      const timer = config.voterTimeoutMs === undefined ? null : AbortSignal.timeout(config.voterTimeoutMs);
      try {
        const answer = await team.runMember({
          taskId: `v${index + 1}`,
          parentId: null,
          member,
          task: team.goal,
          depth: 0,
          briefing: 'You are one of several voters answering independently. Answer concisely; your answer is counted.',
          ...(timer ? { signal: timer } : {}),
        });
        context.emit('team.vote.cast', { voter: name, answer: answer.slice(0, 4000) });
        return { voter: name, answer };
      } catch (error) {
        if (team.stopsTheTeam(error)) throw error;
        const reason = timer?.aborted
          ? `no answer within ${config.voterTimeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error);
        context.emit('team.vote.abstained', { voter: name, reason });
        return { voter: name, abstained: reason };
      }
    }),
  );
  const ballots = results.filter((result): result is Ballot => 'answer' in result);
  const abstained = results.filter((result) => 'abstained' in result);
  const tally = tallyOf(ballots);
  const tallyText = tally.map((entry) => `${entry.votes}× "${clip(entry.answer)}"`).join(', ') || 'no votes';
  if (ballots.length < quorum) {
    throw new QuorumError(
      `quorum not reached: ${ballots.length} of ${voters.length} voted, ${quorum} needed (${tallyText})`,
    );
  }
  const decided = await decide(team, ballots, tally);
  if (decided.winner === null) throw new QuorumError(`${decided.reason} (${tallyText})`);
  context.emit('team.vote.decided', {
    method: config.aggregation,
    winner: decided.winner.slice(0, 4000),
    tally: tally.map((entry) => ({ ...entry, answer: entry.answer.slice(0, 4000) })),
    reason: decided.reason,
  });
  const winnerKey = normalize(decided.winner);
  return {
    out: decided.winner,
    detail: {
      topology: 'vote',
      method: config.aggregation,
      winner: decided.winner,
      reason: decided.reason,
      tally,
      dissent: ballots.filter((ballot) => normalize(ballot.answer) !== winnerKey),
      abstained,
    },
  };
}

async function decide(
  team: TeamRun,
  ballots: Ballot[],
  tally: TallyEntry[],
): Promise<{ winner: string | null; reason: string | null }> {
  const top = tally[0];
  switch (team.config.aggregation) {
    case 'majority':
      return top && top.votes * 2 > ballots.length
        ? { winner: top.answer, reason: null }
        : { winner: null, reason: 'no answer has a majority of the votes' };
    case 'unanimous':
      return top && tally.length === 1
        ? { winner: top.answer, reason: null }
        : { winner: null, reason: 'the voters do not agree' };
    case 'judge':
      return judge(team, ballots);
  }
}

async function judge(team: TeamRun, ballots: Ballot[]): Promise<{ winner: string; reason: string }> {
  const { judge: judgeConfig } = team.config;
  const member: TeamMember = {
    role: judgeConfig.role,
    tools: [],
    ...(judgeConfig.model ? { model: judgeConfig.model } : {}),
  };
  const listed = ballots
    .map((ballot, index) => `### Answer ${index + 1} (${ballot.voter})\n${ballot.answer}`)
    .join('\n\n');
  const verdict = await team.runMember({
    taskId: 'judge',
    parentId: null,
    member,
    task: `Question: ${team.goal}\n\n${listed}`,
    depth: 0,
    briefing: [
      'You judge the answers of several voters to one question. Pick the best, or merge them into a better one.',
      'Answer only with JSON: {"choice": <the number of the answer you pick, or null when you merge>,',
      '"answer": "<the merged answer, when choice is null>", "reason": "<one or two sentences>"}',
    ].join('\n'),
  });
  const parsed = parseVerdict(verdict);
  const chosen = parsed.choice === null ? undefined : ballots[parsed.choice - 1];
  if (parsed.choice !== null && !chosen)
    throw new Error(`the judge picked answer ${parsed.choice}, which does not exist`);
  return { winner: chosen?.answer ?? parsed.answer, reason: parsed.reason };
}

function parseVerdict(text: string): { choice: number | null; answer: string; reason: string } {
  const json = jsonObjectIn(text);
  if (!json.ok || typeof json.value !== 'object' || json.value === null) {
    throw new Error(`the judge did not answer with JSON: "${clip(text)}"`);
  }
  const value = json.value as { choice?: unknown; answer?: unknown; reason?: unknown };
  const choice = typeof value.choice === 'number' && Number.isInteger(value.choice) ? value.choice : null;
  const answer = typeof value.answer === 'string' ? value.answer : '';
  if (choice === null && !answer) throw new Error('the judge neither picked an answer nor merged one');
  return { choice, answer, reason: typeof value.reason === 'string' ? value.reason : '' };
}

/** Votes per answer (answers equal but for case, spacing and trailing punctuation count as one), most first. */
export function tallyOf(ballots: readonly Ballot[]): TallyEntry[] {
  const entries = new Map<string, TallyEntry>();
  for (const ballot of ballots) {
    const key = normalize(ballot.answer);
    const entry = entries.get(key) ?? { answer: ballot.answer.trim(), votes: 0, voters: [] };
    entry.votes++;
    entry.voters.push(ballot.voter);
    entries.set(key, entry);
  }
  return [...entries.values()].sort((a, b) => b.votes - a.votes);
}

function normalize(answer: string): string {
  return answer
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[.!]+$/, '');
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
