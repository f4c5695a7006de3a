/**
 * Encrypts secrets at rest. The Electron host supplies one backed by the OS keychain (safeStorage);
 * the CLI and browser mode have none, and store values readable only by the file's owner (0600).
 */
export interface SecretCipher {
  readonly scheme: string;
  encrypt(plain: string): string;
  decrypt(encoded: string): string;
}

/** A secret as the secrets files hold it: encrypted under the cipher's scheme, or base64 as `plain`. */
export interface SealedSecret {
  scheme: string;
  value: string;
}

/** Seals `value` with the host's cipher, or as `plain` base64 where it has none. */
export function sealSecret(value: string, cipher: SecretCipher | null): SealedSecret {
  return cipher
    ? { scheme: cipher.scheme, value: cipher.encrypt(value) }
    : { scheme: 'plain', value: Buffer.from(value, 'utf8').toString('base64') };
}

/**
 * The secret's value; null when it was sealed with a cipher this process does not have (the desktop
 * app's keychain, read from the CLI): such a secret counts as unset rather than failing.
 */
export function unsealSecret(entry: SealedSecret, cipher: SecretCipher | null): string | null {
  if (entry.scheme === 'plain') return Buffer.from(entry.value, 'base64').toString('utf8');
  if (cipher && entry.scheme === cipher.scheme) return cipher.decrypt(entry.value);
  return null;
}
