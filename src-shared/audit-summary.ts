import type { AuditEntry } from './audit';

/** One line of what an entry says: the CLI's table and the Audit page show the same words. */
export function summarizeAuditEntry(entry: AuditEntry): string {
  const details = entry.details;
  const text = (key: string) => String(details[key] ?? '');
  const short = (key: string) => text(key).slice(0, 12);
  switch (entry.kind) {
    case 'file.read':
    case 'file.write':
      return `${text('path')} (${text('bytes')} bytes, sha256 ${short('sha256')})`;
    case 'file.list':
      return `${text('path')} (${text('entries')} entries)`;
    case 'sandbox.exec':
      return `${text('language')} in ${text('image')}: exit ${text('exitCode')} (${text('termination')}), ${Math.round(Number(details.durationMs))} ms, code ${short('codeSha256')}`;
    case 'mcp.call':
      return `${text('server')}/${text('tool')}${details.isError === true ? ' (error)' : ''}, args ${short('argsSha256')}`;
    case 'approval.decided':
      return text('decision');
    case 'settings.changed':
      return Array.isArray(details.fields) ? details.fields.join(', ') : '';
    case 'secret.changed':
      return `${text('name')} ${text('change')} (${text('store')} secrets)`;
    case 'memory.deleted':
      return `${text('count')} deleted`;
    case 'memory.imported':
      return `${text('imported')} imported, ${text('replaced')} replaced`;
    case 'workflow.imported':
      return `${text('name')} (${text('workflowId')}, ${text('bytes')} bytes)`;
    default:
      return JSON.stringify(details);
  }
}
