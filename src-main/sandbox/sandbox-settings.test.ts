import { describe, expect, it } from 'vitest';
import { defaultSettings, SettingsPatchSchema } from '@shared/settings';

describe('sandbox settings', () => {
  it('default to hardened limits', () => {
    expect(defaultSettings().sandbox).toEqual({
      timeoutSeconds: 60,
      memoryMb: 512,
      cpus: 1,
      pidsLimit: 128,
      tmpfsMb: 256,
      outputCapKb: 1024,
      warmPoolSize: 1,
      idleTimeoutSeconds: 300,
      imageSource: 'auto',
    });
  });

  it.each([
    { timeoutSeconds: 0 },
    { timeoutSeconds: 7200 },
    { memoryMb: 16 },
    { pidsLimit: 1_000_000 },
    { cpus: 0 },
    { warmPoolSize: 100 },
    { outputCapKb: 1 },
    { imageSource: 'anywhere' },
    { network: 'host' },
  ])('refuses %o', (sandbox) => {
    expect(SettingsPatchSchema.safeParse({ sandbox }).success).toBe(false);
  });
});
