import fs from 'node:fs';
import path from 'node:path';
import type { SecretName, SecretStatus } from '@shared/settings';
import { sealSecret, unsealSecret, type SealedSecret, type SecretCipher } from './sealed-secret';
import { writeFileAtomically } from './workflow-repository';

export type { SecretCipher } from './sealed-secret';

/** Where the engine gets API keys. Values never leave the main process. */
export interface SecretStore {
  get(name: SecretName): string | null;
  status(name: SecretName): SecretStatus;
  set(name: SecretName, value: string): SecretStatus;
  clear(name: SecretName): SecretStatus;
}

const ENVIRONMENT_VARIABLES: Record<SecretName, string> = {
  anthropicApiKey: 'ANTHROPIC_API_KEY',
  localEndpointApiKey: 'WARROOM_LOCAL_API_KEY',
};

interface SecretFile {
  version: 1;
  entries: Partial<Record<SecretName, SealedSecret>>;
}

/** Secrets in `<profile>/secrets.json`; an environment variable, when set, wins over the file. */
export class FileSecretStore implements SecretStore {
  private readonly filePath: string;

  constructor(
    profileDir: string,
    private readonly cipher: SecretCipher | null,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.filePath = path.join(profileDir, 'secrets.json');
  }

  get(name: SecretName): string | null {
    const fromEnv = this.env[ENVIRONMENT_VARIABLES[name]];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
    const entry = this.read().entries[name];
    return entry ? unsealSecret(entry, this.cipher) : null;
  }

  status(name: SecretName): SecretStatus {
    const fromEnv = this.env[ENVIRONMENT_VARIABLES[name]];
    if (fromEnv !== undefined && fromEnv.trim() !== '') return { name, source: 'environment' };
    return { name, source: this.read().entries[name] ? 'store' : 'none' };
  }

  set(name: SecretName, value: string): SecretStatus {
    const file = this.read();
    file.entries[name] = sealSecret(value, this.cipher);
    this.write(file);
    return this.status(name);
  }

  clear(name: SecretName): SecretStatus {
    const file = this.read();
    this.write({ ...file, entries: Object.fromEntries(Object.entries(file.entries).filter(([key]) => key !== name)) });
    return this.status(name);
  }

  private read(): SecretFile {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.filePath, 'utf8')) as SecretFile;
      return parsed.version === 1 && typeof parsed.entries === 'object' ? parsed : { version: 1, entries: {} };
    } catch {
      return { version: 1, entries: {} };
    }
  }

  private write(file: SecretFile): void {
    writeFileAtomically(this.filePath, JSON.stringify(file, null, 2), 0o600);
  }
}

export const SECRET_ENVIRONMENT_VARIABLES = ENVIRONMENT_VARIABLES;
