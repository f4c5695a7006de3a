/**
 * Files that hold secrets by what they are called: environment files, private keys, credential stores.
 * The one definition the agents' file tools (which refuse them unless the workflow allows the path) and
 * memory ingestion (which skips them and says so in its report) share.
 */
const ENVIRONMENT_FILE = /^\.env(\..+)?$|\.env$/;
/** Templates that by convention hold no secrets, only the names (`.env.example`). */
const ENVIRONMENT_TEMPLATE = /\.(example|sample|template|dist)$/;
const PRIVATE_KEY_FILE = /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$|\.(pem|key|ppk|p12|pfx|jks|keystore|p8)$/;
const CREDENTIAL_FILES = new Set([
  '.npmrc',
  '.yarnrc.yml',
  '.pypirc',
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.pgpass',
  '.htpasswd',
  '.dockercfg',
  '.s3cfg',
  'credentials',
  'credentials.json',
  'credentials.yml',
  'credentials.yaml',
]);

export type SensitiveFileKind = 'environment file' | 'private key' | 'credentials file';

/** What kind of secret-holding file `relativePath` is by its name, or null when it is not one. */
export function sensitiveFileKind(relativePath: string): SensitiveFileKind | null {
  const name = (relativePath.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (ENVIRONMENT_FILE.test(name) && !ENVIRONMENT_TEMPLATE.test(name)) return 'environment file';
  if (PRIVATE_KEY_FILE.test(name)) return 'private key';
  if (CREDENTIAL_FILES.has(name)) return 'credentials file';
  return null;
}

/** A project-relative path as the allow-list writes it: forward slashes, no `./`, no trailing slash. */
export function normalizeProjectPath(relativePath: string): string {
  return relativePath
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/** Whether a workflow's allow-list names this project-relative path (exactly). */
export function isAllowedSensitivePath(relativePath: string, allowed: readonly string[]): boolean {
  const wanted = normalizeProjectPath(relativePath);
  return allowed.some((entry) => normalizeProjectPath(entry) === wanted);
}
