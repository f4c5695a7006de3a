import path from 'node:path';
import { sealSecret, unsealSecret, type SealedSecret, type SecretCipher } from '../store/sealed-secret';
import { readPrivateJson, writePrivateJson } from './private-json-file';

interface SecretFile {
  version: 1;
  entries: Record<string, SealedSecret>;
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
    private readonly cipher: SecretCipher | null,
  ) {
    this.file = path.join(profileDir, 'mcp-secrets.json');
  }

  names(): string[] {
    return Object.keys(this.read().entries).sort();
  }

  get(name: string): string | null {
    const entry = this.read().entries[name];
    return entry ? unsealSecret(entry, this.cipher) : null;
  }

  set(name: string, value: string): void {
    const file = this.read();
    file.entries[name] = sealSecret(value, this.cipher);
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
