import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credentialEnvironmentSecrets, type KnownSecret } from './known-secrets';
import { refreshKnownSecretsAfter, SecretRedactor } from './redactor';
import { generateSecrets, randomText } from './testing/generated-secrets';

const noKnownSecrets = () => new SecretRedactor({ knownSecrets: () => [] });
/** The forms a secret can take inside a text: as is, and escaped inside a JSON string. */
const formsOf = (secret: string) => [secret, JSON.stringify(secret).slice(1, -1)];

describe('SecretRedactor with the recommended rules', () => {
  const secrets = generateSecrets();

  it.each(secrets.map((secret) => [secret.kind, secret] as const))(
    'redacts a freshly generated %s',
    async (_kind, secret) => {
      const redacted = await noKnownSecrets().redact(`before\n${secret.text}\nafter`);
      for (const form of formsOf(secret.secret)) expect(redacted).not.toContain(form);
      expect(redacted).toContain(`[REDACTED:${secret.rule}]`);
      expect(redacted.startsWith('before\n')).toBe(true);
      expect(redacted.endsWith('\nafter')).toBe(true);
    },
  );

  it('redacts every kind at once in one text, and in many strings of one value', async () => {
    const redactor = noKnownSecrets();
    const all = await redactor.redact(secrets.map((secret) => secret.text).join('\n'));
    const deep = await redactor.redactDeep({
      files: secrets.map((secret) => ({ name: secret.kind, text: secret.text })),
    });
    for (const secret of secrets) {
      for (const form of formsOf(secret.secret)) {
        expect(all).not.toContain(form);
        expect(JSON.stringify(deep)).not.toContain(form);
      }
    }
    expect(deep.files.map((file) => file.name)).toEqual(secrets.map((secret) => secret.kind));
  });

  it('leaves text without secrets exactly as it was', async () => {
    const text = 'const answer = 42;\n// https://example.com/docs?page=2\nBEGIN nothing PRIVATE\n';
    expect(await noKnownSecrets().redact(text)).toBe(text);
  });

  it('is not switched off by a secretlint-disable comment in the text', async () => {
    const key = `sk-ant-api03-${randomText(93)}AA`;
    const redacted = await noKnownSecrets().redact(`// secretlint-disable\nconst key = "${key}";\n`);
    expect(redacted).not.toContain(key);
  });
});

describe('SecretRedactor with known values', () => {
  it('replaces held secrets and credential-like environment variables, also synchronously', async () => {
    const held = randomText(40);
    const fromEnv = randomText(32);
    const env = { DEPLOY_TOKEN: fromEnv, SHORT_KEY: 'abc', DEBUG_SECRET: 'true', HOME: randomText(20) };
    const redactor = new SecretRedactor({
      knownSecrets: () => [{ value: held, label: 'secret:anthropicApiKey' }, ...credentialEnvironmentSecrets(env)],
    });
    const text = `a ${held} b ${fromEnv} c abc true ${env.HOME}`;
    const expected = `a [REDACTED:secret:anthropicApiKey] b [REDACTED:env:DEPLOY_TOKEN] c abc true ${env.HOME}`;
    expect(redactor.redactKnown(text)).toBe(expected);
    expect(await redactor.redact(text)).toBe(expected);
  });

  it('picks up secrets added at runtime: on refresh, and on its own once the known values are old', async () => {
    const values: KnownSecret[] = [];
    let clock = 0;
    const redactor = new SecretRedactor({ knownSecrets: () => values, refreshIntervalMs: 1000, now: () => clock });
    expect(redactor.redactKnown('first use reads the sources')).toBe('first use reads the sources');
    const added = randomText(30);
    values.push({ value: added, label: 'mcp:GITHUB' });
    expect(redactor.redactKnown(added)).toBe(added);
    redactor.refreshKnownSecrets();
    expect(redactor.redactKnown(added)).toBe('[REDACTED:mcp:GITHUB]');

    const store = {
      saved: '',
      set(value: string) {
        this.saved = value;
      },
    };
    refreshKnownSecretsAfter(redactor, store, ['set']);
    const saved = randomText(30);
    values.push({ value: saved, label: 'secret:anthropicApiKey' });
    store.set(saved);
    expect(store.saved).toBe(saved);
    expect(redactor.redactKnown(saved)).toBe('[REDACTED:secret:anthropicApiKey]');

    const later = randomText(30);
    values.push({ value: later, label: 'mcp:LATER' });
    expect(await redactor.redact(later)).toBe(later);
    clock = 1001;
    expect(await redactor.redact(later)).toBe('[REDACTED:mcp:LATER]');
  });

  it('remembers what the rules found, so the synchronous path catches it afterwards', async () => {
    const redactor = noKnownSecrets();
    const key = `ghp_${randomText(36)}`;
    expect(redactor.redactKnown(`x ${key}`)).toBe(`x ${key}`);
    await redactor.redact(`token: ${key}`);
    expect(redactor.redactKnown(`x ${key}`)).toBe('x [REDACTED:github]');
  });

  it('copies only what changes in redactDeep, and keeps non-JSON objects as they are', async () => {
    const held = randomText(24);
    const redactor = new SecretRedactor({ knownSecrets: () => [{ value: held, label: 'env:X_TOKEN' }] });
    const untouched = { list: ['a', 'b'], n: 1 };
    const date = new Date(0);
    const value = { untouched, date, nested: { text: `k=${held}` }, flag: true, none: null };
    const redacted = await redactor.redactDeep(value);
    expect(redacted).toEqual({ ...value, nested: { text: 'k=[REDACTED:env:X_TOKEN]' } });
    expect(redacted.untouched).toBe(untouched);
    expect(redacted.date).toBe(date);
    expect(value.nested.text).toBe(`k=${held}`);
  });
});

describe('SecretRedactor properties', () => {
  const generated = generateSecrets();
  const knownValues = Array.from({ length: 3 }, () => randomText(20 + Math.floor(Math.random() * 20)));
  const redactor = new SecretRedactor({
    knownSecrets: () => knownValues.map((value, index) => ({ value, label: `env:KNOWN_${index}_KEY` })),
  });
  const piece = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(...knownValues),
    fc.constantFrom(...generated.map((secret) => secret.text)),
    fc.constantFrom(' ', '\n', '"', ':', '=', '@', '/'),
  );
  const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));

  it('redacting twice gives what redacting once gave, and no known value survives', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (input) => {
        const once = await redactor.redact(input);
        expect(await redactor.redact(once)).toBe(once);
        expect(redactor.redactKnown(once)).toBe(once);
        for (const value of knownValues) expect(once).not.toContain(value);
      }),
      { numRuns: 150 },
    );
  });

  it('no generated secret survives wherever it sits in the text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 30 }),
        fc.constantFrom(...generated),
        fc.string({ maxLength: 30 }),
        async (before, secret, after) => {
          const redacted = await redactor.redact(`${before}\n${secret.text}\n${after}`);
          for (const form of formsOf(secret.secret)) expect(redacted).not.toContain(form);
        },
      ),
      { numRuns: 100 },
    );
  });
});
