import { InvalidArgumentError } from 'commander';
import { BreakpointSchema, type Breakpoint } from '@shared/breakpoints';

/**
 * `warroom run --break` syntax (repeatable): `<node>` pauses before the node runs, `<loop>@<N>` before
 * the loop's body runs for the N-th time, `<agent>:tools` before each tool call of an agent (or of a
 * team's members).
 */
export const BREAK_SYNTAX = '<node> | <loop>@<N> | <agent>:tools';

export function parseBreakOption(value: string, previous: Breakpoint[] = []): Breakpoint[] {
  const text = value.trim();
  const loop = /^(.+)@(\d+)$/.exec(text);
  const tools = /^(.+):tools$/.exec(text);
  const candidate = loop
    ? { kind: 'loop', nodeId: loop[1], iteration: Number(loop[2]) }
    : tools
      ? { kind: 'tool', nodeId: tools[1] }
      : { kind: 'node', nodeId: text };
  const parsed = BreakpointSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new InvalidArgumentError(
      `"${value}" is not a breakpoint (${parsed.error.issues[0]?.message ?? 'invalid'}); use ${BREAK_SYNTAX}`,
    );
  }
  return [...previous, parsed.data];
}
