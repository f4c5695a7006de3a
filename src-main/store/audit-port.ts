import type { AuditActor, NewAuditEntry } from '@shared/audit';

/**
 * How the engine (and the services) record what happened on the machine. The SQLite audit repository
 * implements it behind the audit service; the engine imports only this port. Record only what really
 * happened: a result reused from the journal (resume, replay, fork) is not a new action.
 */
export interface AuditRecorder {
  /** Appends one entry to the chain; throws when it cannot be written (an action must not go unrecorded silently). */
  record(entry: NewAuditEntry): void;
  /**
   * Who a person acting through this process is: `cli` in the `warroom` command, `mcp-client` under
   * `warroom mcp serve`, `user` in the app's UI.
   */
  readonly humanActor: AuditActor;
  /** The sandbox image code in `language` runs in, recorded with each execution. */
  sandboxImage(language: string): string;
}
