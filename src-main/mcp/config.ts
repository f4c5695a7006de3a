import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { formatPath, type InputProblem } from '@shared/errors';
import { McpConfigFileSchema, type McpConfigFile, type McpServerConfig } from '@shared/mcp';

/** A malformed mcp.json: the file, and each place with its problem. */
export class McpConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: InputProblem[],
  ) {
    super(`${file}: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
    this.name = 'McpConfigError';
  }
}

export const PROFILE_CONFIG_FILE = 'mcp.json';
export const PROJECT_CONFIG_FILE = '.mcp.json';

/** Parses the text of an mcp.json; every problem names its place (`mcpServers.github.command`). */
export function parseMcpConfig(text: string, file: string): McpConfigFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(file, [
      { path: '(file)', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` },
    ]);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new McpConfigError(file, [{ path: '(root)', message: 'expected an object with "mcpServers"' }]);
  }
  const parsed = McpConfigFileSchema.safeParse(document);
  if (!parsed.success) {
    throw new McpConfigError(
      file,
      parsed.error.issues.flatMap((issue) => problemsOf(issue, [], document)),
    );
  }
  return parsed.data;
}

/**
 * A server is a stdio or a remote one; zod reports a server that is neither as one "Invalid input" at the
 * server. The kind the user meant is the one whose fields are all there and all known (the others lack
 * `command`, or `type` and `url`), so its problems are reported instead, each at its own place.
 */
function problemsOf(issue: z.core.$ZodIssue, base: PropertyKey[], document: unknown): InputProblem[] {
  const place = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const misfits = (branch: z.core.$ZodIssue[]) =>
      branch.filter(
        (inner) => inner.code === 'unrecognized_keys' || valueAt(document, [...place, ...inner.path]) === undefined,
      ).length;
    const rank = (branch: z.core.$ZodIssue[]) => misfits(branch) * 1000 + branch.length;
    const meant = issue.errors.reduce((best, branch) => (rank(branch) < rank(best) ? branch : best));
    if (meant.length > 0) return meant.flatMap((inner) => problemsOf(inner, place, document));
  }
  return [{ path: formatPath(place), message: issue.message }];
}

function valueAt(document: unknown, place: PropertyKey[]): unknown {
  let value = document;
  for (const key of place) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** A missing file is an empty configuration; an unreadable or malformed one is an error. */
export function readMcpConfig(file: string): { config: McpConfigFile; text: string | null } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: { mcpServers: {} }, text: null };
    throw new McpConfigError(file, [{ path: '(file)', message: (error as Error).message }]);
  }
  return { config: parseMcpConfig(text, file), text };
}

/**
 * Writes the profile's servers back, keeping whatever else the user put in the file. Written through a
 * temporary file so a crash never leaves half a configuration.
 */
export function writeMcpServers(file: string, servers: Record<string, McpServerConfig>): void {
  let document: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      document = parsed as Record<string, unknown>;
    }
  } catch {
    // A missing or unreadable file is replaced by a new one.
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  // 0600: the file may hold header values and environment the user typed in.
  fs.writeFileSync(temporary, `${JSON.stringify({ ...document, mcpServers: servers }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
