import { createHash } from 'node:crypto';
import path from 'node:path';
import { readPrivateJson, writePrivateJson } from './private-json-file';

interface TrustFile {
  version: 1;
  /** By absolute project directory: the content hash the user decided on, and the decision. */
  projects: Record<string, { hash: string; trusted: boolean }>;
}

export type TrustDecision = 'trusted' | 'denied' | 'undecided';

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A project's .mcp.json can start programs on this machine, so the user approves each project's file, by
 * its content: a changed file is undecided again (as in Claude Code). Kept in `<profile>/mcp-trust.json`.
 */
export class McpTrustStore {
  private readonly file: string;

  constructor(profileDir: string) {
    this.file = path.join(profileDir, 'mcp-trust.json');
  }

  decision(projectDir: string, hash: string): TrustDecision {
    const entry = this.read().projects[path.resolve(projectDir)];
    if (!entry || entry.hash !== hash) return 'undecided';
    return entry.trusted ? 'trusted' : 'denied';
  }

  decide(projectDir: string, hash: string, trusted: boolean): void {
    const file = this.read();
    file.projects[path.resolve(projectDir)] = { hash, trusted };
    writePrivateJson(this.file, file);
  }

  private read(): TrustFile {
    return readPrivateJson<TrustFile>(
      this.file,
      (parsed) => parsed.version === 1 && typeof parsed.projects === 'object' && parsed.projects !== null,
      () => ({ version: 1, projects: {} }),
    );
  }
}
