import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { MemoryKindSchema } from '@shared/memory';
import type { BuiltInToolName } from '@shared/node-kinds';
import type { LlmToolSpec } from '../llm/port';
import { toolSpec } from './tool-spec';
import type { AgentTool } from './agent-loop';
import { projectNamespace, searchedNamespaces } from '@shared/memory-namespaces';
import { isAllowedSensitivePath, sensitiveFileKind } from '@shared/sensitive-files';
import type { MemoryStore } from '../memory/port';
import { SandboxUnavailableError, type SandboxLanguage, type SandboxRunner } from '../sandbox/port';
import type { AuditRecorder } from '../store/port';
import { auditFileAccess, auditListing, auditSandboxExecution } from './audit-records';

/**
 * The built-in tools agents (and tool nodes) may call. File tools work inside the run's project
 * directory only; code runs only in the sandbox.
 */
export interface ToolEnvironment {
  projectDir: string;
  sandbox: SandboxRunner | null;
  memory: MemoryStore | null;
  scratchpad: Map<string, string>;
  runId: string;
  nodeId: string;
  signal: AbortSignal;
  /** Where file reads and writes and sandbox executions are recorded (they run only when not journaled). */
  audit: AuditRecorder | null;
  /** A team member's: the team's run-scoped namespace, where memory_store writes and memory_search looks first. */
  teamMemory?: string;
  /** Secret-holding files (`.env`, keys…) the workflow lets the file tools touch, by project path. */
  allowSensitivePaths?: readonly string[];
}

/** Narrows a node's context to what the built-in tools may use (no model, no event log, no journal). */
export function toolEnvironmentOf(
  context: ToolEnvironment,
  allowSensitivePaths: readonly string[] = context.allowSensitivePaths ?? [],
): ToolEnvironment {
  const { projectDir, sandbox, memory, scratchpad, runId, nodeId, signal, audit, teamMemory } = context;
  return {
    projectDir,
    sandbox,
    memory,
    scratchpad,
    runId,
    nodeId,
    signal,
    audit,
    ...(teamMemory ? { teamMemory } : {}),
    ...(allowSensitivePaths.length > 0 ? { allowSensitivePaths } : {}),
  };
}

export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

const MAX_READ_BYTES = 200_000;

const stringArg = (input: Record<string, unknown>, name: string): string => {
  const value = input[name];
  if (typeof value !== 'string' || value.length === 0) throw new ToolInputError(`"${name}" must be a non-empty string`);
  return value;
};

/** Resolves a path the model gave against the project, refusing anything that leaves it (.., absolute, symlinks). */
export async function resolveInsideProject(projectDir: string, requested: string): Promise<string> {
  const root = await fs.realpath(projectDir);
  const target = path.resolve(root, requested);
  const relative = path.relative(root, target);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ToolInputError(`"${requested}" is outside the project directory`);
  }
  // Follow symlinks of the longest existing ancestor so a link cannot lead out of the project.
  let existing = target;
  for (;;) {
    try {
      const real = await fs.realpath(existing);
      const realRelative = path.relative(root, real);
      if (realRelative.startsWith('..') || path.isAbsolute(realRelative)) {
        throw new ToolInputError(`"${requested}" leads outside the project directory`);
      }
      return target;
    } catch (error) {
      if (error instanceof ToolInputError) throw error;
      const parent = path.dirname(existing);
      if (parent === existing) return target;
      existing = parent;
    }
  }
}

/** A resolved file's path relative to the project, as the audit log and the tools' answers give it. */
async function projectPathOf(projectDir: string, file: string): Promise<string> {
  return path.relative(await fs.realpath(projectDir), file) || '.';
}

/**
 * Refuses a file that holds secrets by its name (`.env`, a private key, a credentials file), or by the
 * name of the file a link leads to, unless the workflow allows that path.
 */
async function refuseSensitiveFile(environment: ToolEnvironment, file: string): Promise<void> {
  const root = await fs.realpath(environment.projectDir);
  const real = await fs.realpath(file).catch(() => file);
  const requested = path.relative(root, file).split(path.sep).join('/');
  for (const candidate of new Set([requested, path.relative(root, real).split(path.sep).join('/')])) {
    const kind = sensitiveFileKind(candidate);
    if (kind && !isAllowedSensitivePath(candidate, environment.allowSensitivePaths ?? [])) {
      throw new ToolInputError(
        `"${requested}" is refused: it is ${kind === 'environment file' ? 'an' : 'a'} ${kind}${candidate === requested ? '' : ` (it leads to "${candidate}")`}, which holds secrets. ` +
          `To let agents use it, list "${candidate}" in allowSensitivePaths in this node's config.`,
      );
    }
  }
}

interface BuiltInTool {
  spec: LlmToolSpec;
  run(input: Record<string, unknown>, environment: ToolEnvironment): Promise<string>;
}

function memoryOf(environment: ToolEnvironment): MemoryStore {
  if (!environment.memory) throw new Error('memory unavailable: no memory store is configured');
  return environment.memory;
}

export const BUILT_IN_TOOL_IMPLEMENTATIONS: Record<BuiltInToolName, BuiltInTool> = {
  read_file: {
    spec: toolSpec(
      'read_file',
      'Read a text file of the project. Paths are relative to the project root.',
      { path: { type: 'string' } },
      ['path'],
    ),
    run: async (input, environment) => {
      const file = await resolveInsideProject(environment.projectDir, stringArg(input, 'path'));
      await refuseSensitiveFile(environment, file);
      const handle = await fs.open(file, 'r');
      try {
        const buffer = Buffer.alloc(MAX_READ_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, MAX_READ_BYTES, 0);
        const read = buffer.subarray(0, bytesRead);
        auditFileAccess(environment, 'file.read', await projectPathOf(environment.projectDir, file), read);
        return read.toString('utf8');
      } finally {
        await handle.close();
      }
    },
  },
  list_files: {
    spec: toolSpec(
      'list_files',
      'List the entries of a project directory ("." for the root); directories end with "/".',
      { path: { type: 'string' } },
      [],
    ),
    run: async (input, environment) => {
      const requested = typeof input.path === 'string' && input.path !== '' ? input.path : '.';
      const directory = await resolveInsideProject(environment.projectDir, requested);
      const entries = await fs.readdir(directory, { withFileTypes: true });
      const listing = entries
        .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
        .sort()
        .join('\n');
      auditListing(environment, await projectPathOf(environment.projectDir, directory), listing, entries.length);
      return listing;
    },
  },
  write_file: {
    spec: toolSpec(
      'write_file',
      'Write (create or replace) a text file in the project.',
      { path: { type: 'string' }, content: { type: 'string' } },
      ['path', 'content'],
    ),
    run: async (input, environment) => {
      const file = await resolveInsideProject(environment.projectDir, stringArg(input, 'path'));
      await refuseSensitiveFile(environment, file);
      const content = typeof input.content === 'string' ? input.content : '';
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content, 'utf8');
      const written = await projectPathOf(environment.projectDir, file);
      auditFileAccess(environment, 'file.write', written, Buffer.from(content, 'utf8'));
      return `wrote ${Buffer.byteLength(content)} bytes to ${written}`;
    },
  },
  run_code: {
    spec: toolSpec(
      'run_code',
      'Run a Python or Node.js program in the sandbox (project mounted read-only); returns its output and the files it wrote to /out (kept as run artifacts).',
      { language: { type: 'string', enum: ['python', 'node'] }, code: { type: 'string' } },
      ['language', 'code'],
    ),
    run: async (input, environment) => {
      if (!environment.sandbox) {
        throw new SandboxUnavailableError(
          'sandbox unavailable: code runs only in the Docker sandbox, and none is configured',
        );
      }
      const language = input.language === 'node' ? 'node' : ('python' satisfies SandboxLanguage);
      const code = stringArg(input, 'code');
      const result = await environment.sandbox.execute(
        { language, code, workspaceDir: environment.projectDir },
        {
          signal: environment.signal,
          // Each call its own folder: two calls never overwrite each other's files.
          runArtifacts: {
            runId: environment.runId,
            folder: `run_code/${environment.nodeId}/${randomUUID().slice(0, 8)}`,
          },
        },
      );
      auditSandboxExecution(environment, language, code, result);
      return JSON.stringify({
        exitCode: result.exitCode,
        termination: result.termination,
        stdout: result.stdout,
        stderr: result.stderr,
        artifacts: result.artifacts.map(({ path, sizeBytes, mediaType }) => ({ path, sizeBytes, mediaType })),
      });
    },
  },
  memory_search: {
    spec: toolSpec(
      'memory_search',
      'Search project memory for notes, decisions and code related to a query.',
      { query: { type: 'string' }, limit: { type: 'number' } },
      ['query'],
    ),
    run: async (input, environment) => {
      const memory = memoryOf(environment);
      // This project's memories and the global ones, never another project's; a team member's team's first.
      const project = searchedNamespaces(environment.projectDir);
      const hits = await memory.search(stringArg(input, 'query'), {
        namespaces: environment.teamMemory ? [environment.teamMemory, ...project] : project,
        limit: typeof input.limit === 'number' ? input.limit : 5,
      });
      return JSON.stringify(hits.map((hit) => ({ text: hit.item.text, kind: hit.item.kind, score: hit.score })));
    },
  },
  memory_store: {
    spec: toolSpec(
      'memory_store',
      'Store a note, decision or summary in project memory for later runs.',
      { text: { type: 'string' }, kind: { type: 'string' } },
      ['text'],
    ),
    run: async (input, environment) => {
      const memory = memoryOf(environment);
      const kind = MemoryKindSchema.options.find((candidate) => candidate === input.kind) ?? 'note';
      const result = await memory.store({
        // The namespace ingestion and context injection use, so later runs on this project see it; a team
        // member's note stays with its team until synthesis after the run.
        namespace: environment.teamMemory ?? projectNamespace(environment.projectDir),
        kind,
        text: stringArg(input, 'text'),
        provenance: { runId: environment.runId, nodeId: environment.nodeId },
      });
      return `${result.outcome} ${result.item.id}`;
    },
  },
  remember: {
    spec: toolSpec(
      'remember',
      'Keep a note under a key in your scratchpad; it lasts for the whole run.',
      { key: { type: 'string' }, value: { type: 'string' } },
      ['key', 'value'],
    ),
    run: (input, environment) => {
      environment.scratchpad.set(stringArg(input, 'key'), String(input.value ?? ''));
      return Promise.resolve('remembered');
    },
  },
  recall: {
    spec: toolSpec(
      'recall',
      'Read a note from your scratchpad by key, or every note when no key is given.',
      { key: { type: 'string' } },
      [],
    ),
    run: (input, environment) => {
      if (typeof input.key === 'string' && input.key !== '') {
        return Promise.resolve(environment.scratchpad.get(input.key) ?? '(nothing remembered under that key)');
      }
      return Promise.resolve(JSON.stringify(Object.fromEntries(environment.scratchpad)));
    },
  },
};

export function isBuiltInTool(name: string): name is BuiltInToolName {
  return Object.hasOwn(BUILT_IN_TOOL_IMPLEMENTATIONS, name);
}

/** Scratchpad tools only touch run memory, so they run again on replay instead of being journaled. */
const IN_MEMORY_TOOLS: ReadonlySet<BuiltInToolName> = new Set(['remember', 'recall']);

/** The named built-in tools as agent tools, bound to one agent's environment. */
export function builtInTools(names: readonly BuiltInToolName[], environment: ToolEnvironment): Map<string, AgentTool> {
  return new Map(
    names.map((name): [string, AgentTool] => {
      const tool = BUILT_IN_TOOL_IMPLEMENTATIONS[name];
      return [
        name,
        { spec: tool.spec, journaled: !IN_MEMORY_TOOLS.has(name), run: (input) => tool.run(input, environment) },
      ];
    }),
  );
}
