import path from 'node:path';
import { readPrivateJson, writePrivateJson } from './private-json-file';

/** Encrypts values at rest (the desktop host's OS keychain); the same shape as the app's SecretCipher. */
export interface McpSecretCipher {
  readonly scheme: string;
  encrypt(plain: string): string;
  decrypt(encoded: string): string;
}

interface SecretFile {
  version: 1;
  entries: Record<string, { scheme: string; value: string }>;
}

/**
 * The secrets mcp.json files reference as `${secret:NAME}` (tokens for GitHub, a database…), by any name,
 * in `<profile>/mcp-secrets.json` (mode 0600, encrypted where the host has a cipher). Values never leave
 * the main process: the API lists names only.
 */
export class McpSecretStore {
  private readonly file: string;

  constructor(
    profileDir: string,
    private readonly cipher: McpSecretCipher | null,
  ) {
    this.file = path.join(profileDir, 'mcp-secrets.json');
  }

  names(): string[] {
    return Object.keys(this.read().entries).sort();
  }

  get(name: string): string | null {
    const entry = this.read().entries[name];
    if (!entry) return null;
    if (entry.scheme === 'plain') return Buffer.from(entry.value, 'base64').toString('utf8');
    if (this.cipher && entry.scheme === this.cipher.scheme) return this.cipher.decrypt(entry.value);
    // Encrypted by the desktop app and unreadable here (the CLI): as if unset.
    return null;
  }

  set(name: string, value: string): void {
    const file = this.read();
    file.entries[name] = this.cipher
      ? { scheme: this.cipher.scheme, value: this.cipher.encrypt(value) }
      : { scheme: 'plain', value: Buffer.from(value, 'utf8').toString('base64') };
    this.write(file);
  }

  clear(name: string): void {
    const file = this.read();
    this.write({
      version: 1,
      entries: Object.fromEntries(Object.entries(file.entries).filter(([key]) => key !== name)),
    });
  }

  private read(): SecretFile {
    return readPrivateJson<SecretFile>(
      this.file,
      (parsed) => parsed.version === 1 && typeof parsed.entries === 'object' && parsed.entries !== null,
      () => ({ version: 1, entries: {} }),
    );
  }

  private write(file: SecretFile): void {
    writePrivateJson(this.file, file);
  }
}
