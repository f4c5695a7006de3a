import fs from 'node:fs';
import path from 'node:path';

/**
 * The profile's small JSON files that hold MCP secrets and trust decisions: only the user may read them
 * (mode 0600), and a write is atomic (a crash leaves the old file or the new one, never half of one).
 */
export function readPrivateJson<T>(file: string, isValid: (parsed: T) => boolean, empty: () => T): T {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
    return isValid(parsed) ? parsed : empty();
  } catch {
    // Missing, unreadable or not JSON: as if empty.
    return empty();
  }
}

export function writePrivateJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(value, null, 2), { mode: 0o600 });
  fs.renameSync(temporary, file);
}
