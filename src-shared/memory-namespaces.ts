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
