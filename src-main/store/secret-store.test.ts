import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempProfile } from '../testing/temp-profile';
import { FileSecretStore, type SecretCipher } from './secret-store';

const reversingCipher: SecretCipher = {
  scheme: 'test-reverse',
  encrypt: (plain) => Buffer.from([...plain].reverse().join('')).toString('base64'),
  decrypt: (encoded) => [...Buffer.from(encoded, 'base64').toString()].reverse().join(''),
};

describe('FileSecretStore', () => {
  it('stores a key readable only by its owner, and reports where a key comes from', () => {
    const dir = makeTempProfile();
    const store = new FileSecretStore(dir, null, {});
    expect(store.status('anthropicApiKey')).toEqual({ name: 'anthropicApiKey', source: 'none' });
    expect(store.set('anthropicApiKey', 'sk-ant-123')).toEqual({ name: 'anthropicApiKey', source: 'store' });
    expect(store.get('anthropicApiKey')).toBe('sk-ant-123');
    const file = path.join(dir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-ant-123');
    store.clear('anthropicApiKey');
    expect(store.get('anthropicApiKey')).toBeNull();
  });

  it('prefers the environment variable over the stored value', () => {
    const dir = makeTempProfile();
    new FileSecretStore(dir, null, {}).set('anthropicApiKey', 'from-file');
    const store = new FileSecretStore(dir, null, { ANTHROPIC_API_KEY: ' from-env ' });
    expect(store.get('anthropicApiKey')).toBe('from-env');
    expect(store.status('anthropicApiKey').source).toBe('environment');
  });

  it('encrypts with the host cipher, and treats values it cannot decrypt as unset', () => {
    const dir = makeTempProfile();
    const desktop = new FileSecretStore(dir, reversingCipher, {});
    desktop.set('anthropicApiKey', 'sk-ant-secret');
    expect(desktop.get('anthropicApiKey')).toBe('sk-ant-secret');
    expect(fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8')).toContain('test-reverse');
    const cli = new FileSecretStore(dir, null, {});
    expect(cli.get('anthropicApiKey')).toBeNull();
  });

  it('survives a damaged secrets file', () => {
    const dir = makeTempProfile();
    fs.writeFileSync(path.join(dir, 'secrets.json'), '{ not json');
    const store = new FileSecretStore(dir, null, {});
    expect(store.get('anthropicApiKey')).toBeNull();
    store.set('anthropicApiKey', 'replacement');
    expect(store.get('anthropicApiKey')).toBe('replacement');
  });
});
