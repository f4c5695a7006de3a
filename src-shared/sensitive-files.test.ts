import { describe, expect, it } from 'vitest';
import { isAllowedSensitivePath, sensitiveFileKind } from './sensitive-files';

describe('sensitiveFileKind', () => {
  it.each([
    ['.env', 'environment file'],
    ['config/.env.production', 'environment file'],
    ['deploy/prod.env', 'environment file'],
    ['keys/server.pem', 'private key'],
    ['C:\\Users\\me\\.ssh\\id_ed25519', 'private key'],
    ['id_rsa', 'private key'],
    ['tls/site.KEY', 'private key'],
    ['certs/bundle.p12', 'private key'],
    ['.npmrc', 'credentials file'],
    ['home/.netrc', 'credentials file'],
    ['.aws/credentials', 'credentials file'],
    ['.git-credentials', 'credentials file'],
  ])('%s is a %s', (file, kind) => {
    expect(sensitiveFileKind(file)).toBe(kind);
  });

  it.each(['.env.example', 'config/.env.sample', 'src/env.ts', 'id_rsa.pub', 'README.md', 'keyboard.ts', 'monkey'])(
    '%s is not sensitive',
    (file) => {
      expect(sensitiveFileKind(file)).toBeNull();
    },
  );
});

describe('isAllowedSensitivePath', () => {
  it('matches the exact project path, however it is written', () => {
    expect(isAllowedSensitivePath('config/.env', ['./config/.env'])).toBe(true);
    expect(isAllowedSensitivePath('config\\.env', ['config/.env/'])).toBe(true);
    expect(isAllowedSensitivePath('.env', ['config/.env'])).toBe(false);
    expect(isAllowedSensitivePath('config/.env', [])).toBe(false);
  });
});
