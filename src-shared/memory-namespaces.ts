/**
 * Which memory namespaces a project's work reads and writes. Ingestion files a project under its
 * namespace, and the engine injects, searches and synthesizes memories there, so they all meet in one
 * place; `global` holds what is true everywhere (conventions, preferences).
 */
export const GLOBAL_NAMESPACE = 'global';

/** A project's namespace: the name of its directory (an absolute path), or "project" for a root. */
export function projectNamespace(projectDir: string): string {
  return (
    projectDir
      .split(/[\\/]+/)
      .filter((segment) => segment !== '')
      .at(-1) ?? 'project'
  );
}

/** What a run searches by default: its project's memories, then the global ones. */
export function searchedNamespaces(projectDir: string): string[] {
  return [projectNamespace(projectDir), GLOBAL_NAMESPACE];
}

/**
 * Where the members of one execution of a team keep what they find: scoped to the run (and the team's
 * execution), so members share their findings while the project's memory only gets what synthesis
 * makes of them after the run.
 */
export function teamNamespace(runId: string, teamScope: string): string {
  return `team:${runId}:${teamScope}`;
}
