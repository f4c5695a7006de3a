import { hash } from 'node:crypto';
import type { Workflow } from '@shared/workflow';
import { chainWorkflow } from '../../engine/testing/workflow-builder';
import type { FakeReply, FakeRequest } from '../../llm/testing/fake-anthropic-server';
import { roleOfRequest, teamWorkflow } from '../fake-team';

/**
 * The crash test's three workflows and the fake model's answers to them. Every answer carries a marker
 * of the request it answers (`[m:…]` in text, or in a tool use's id), so the test can tell from the
 * journal which requests were answered *and recorded* before a kill.
 */
export type CrashWorkflowKind = 'team' | 'sandbox' | 'synthesis';

/** Same request, same marker: a hash of the request body as sent. */
export function markerOf(body: unknown): string {
  return hash('sha256', JSON.stringify(body), 'hex').slice(0, 12);
}

/** The markers found in text (a journaled answer, as stored). */
export function markersIn(text: string): string[] {
  return [...text.matchAll(/\[m:([0-9a-f]{12})\]|toolu_([0-9a-f]{12})_/g)].map((match) => match[1] ?? match[2] ?? '');
}

export const DELEGATIONS: Array<[role: string, task: string]> = [
  ['planner', 'plan the cart'],
  ['coder', 'write the cart'],
  ['tester', 'test the cart'],
];

/** A few SSE events apart, so a kill can land inside a stream as well as between calls. */
const CHUNK_DELAY_MS = 15;

function allText(request: FakeRequest): string {
  return JSON.stringify(request.body.messages);
}

function isSynthesis(request: FakeRequest): boolean {
  return JSON.stringify(request.body.system ?? '').includes('long-term memory of a software project');
}

export function crashScript(request: FakeRequest): FakeReply {
  const marker = markerOf(request.body);
  const reply = (text: string): FakeReply => ({ text: `${text} [m:${marker}]`, chunkDelayMs: CHUNK_DELAY_MS });
  if (isSynthesis(request)) {
    return {
      text: JSON.stringify({ summary: `The run did its job [m:${marker}]`, decisions: [] }),
      chunkDelayMs: CHUNK_DELAY_MS,
    };
  }
  const role = roleOfRequest(request);
  if (role === 'coordinator') {
    if (request.body.messages.length === 1) {
      return {
        toolUses: DELEGATIONS.map(([member, task], index) => ({
          id: `toolu_${marker}_${index}`,
          name: 'delegate',
          input: { role: member, task },
        })),
        chunkDelayMs: CHUNK_DELAY_MS,
      };
    }
    return reply('team done');
  }
  if (role !== 'unknown') {
    const task = DELEGATIONS.find(([member]) => member === role)?.[1] ?? '?';
    return reply(`${role} did: ${task}`);
  }
  const text = allText(request);
  if (text.includes('Build:')) return reply('built');
  if (text.includes('Plan:')) return reply('the plan');
  return reply('unexpected request');
}

/** Doubles its input and adds one, slowly enough for a kill to land while it runs. */
const STEP_CODE = [
  "let input = '';",
  "process.stdin.on('data', (chunk) => (input += chunk));",
  "process.stdin.on('end', () => setTimeout(() => process.stdout.write(JSON.stringify(JSON.parse(input) * 2 + 1)), 150));",
].join('\n');

export interface CrashWorkflow {
  kind: CrashWorkflowKind;
  workflow: Workflow;
  /** The `task` input. */
  task: string;
  /** The run's `result` output when it completes. */
  expectResult(result: unknown): boolean;
  /** How many model calls the run journals when it completes (memory synthesis included). */
  modelCalls: number;
  /** How many sandbox executions it needs. */
  sandboxSteps: number;
}

export const CRASH_WORKFLOWS: Record<CrashWorkflowKind, CrashWorkflow> = {
  // The coordinator delegates to three members at once, then answers; then the run is synthesised.
  team: {
    kind: 'team',
    workflow: teamWorkflow(DELEGATIONS.map(([role]) => role)),
    task: 'build a cart',
    expectResult: (result) => typeof result === 'string' && /^team done \[m:[0-9a-f]{12}\]$/.test(result),
    modelCalls: 5 + 1,
    sandboxSteps: 0,
  },
  // Three sandboxed code steps in a chain: 1 → 3 → 7 → 15. No model, so no synthesis.
  sandbox: {
    kind: 'sandbox',
    workflow: chainWorkflow(
      ['one', 'two', 'three'].map((id): [string, string, Record<string, unknown>] => [
        id,
        'code',
        { language: 'node', code: STEP_CODE },
      ]),
      'sandbox-chain',
    ),
    task: '1',
    expectResult: (result) => result === 15,
    modelCalls: 0,
    sandboxSteps: 3,
  },
  // Two agents, then memory synthesis of the run: the kills land in synthesis as well.
  synthesis: {
    kind: 'synthesis',
    workflow: chainWorkflow(
      [
        ['plan', 'agent', { prompt: 'Plan: {{in}}' }],
        ['build', 'agent', { prompt: 'Build: {{in}}' }],
      ],
      'plan-and-build',
    ),
    task: 'a tea timer',
    expectResult: (result) => typeof result === 'string' && /^built \[m:[0-9a-f]{12}\]$/.test(result),
    modelCalls: 2 + 1,
    sandboxSteps: 0,
  },
};
