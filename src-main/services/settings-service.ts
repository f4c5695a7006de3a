import { EventEmitter, on } from 'node:events';
import type { Settings, SettingsPatch } from '@shared/settings';
import type { SettingsRepository } from '../store/settings-repository';

export interface SettingsChange {
  settings: Settings;
  changedAt: string;
}

/** Settings plus a change feed, so every open window sees an edit made in any other. */
export class SettingsService {
  private readonly emitter = new EventEmitter();

  constructor(
    private readonly repository: SettingsRepository,
    private readonly now: () => Date,
  ) {
    // Each subscribed window holds one listener; a busy user may well have more than ten.
    this.emitter.setMaxListeners(0);
  }

  get(): Settings {
    return this.repository.get();
  }

  update(patch: SettingsPatch): Settings {
    return this.publish(this.repository.update(patch));
  }

  reset(): Settings {
    return this.publish(this.repository.reset());
  }

  async *changes(signal?: AbortSignal): AsyncGenerator<SettingsChange> {
    for await (const [change] of on(this.emitter, 'change', { signal })) {
      yield change as SettingsChange;
    }
  }

  private publish(settings: Settings): Settings {
    this.emitter.emit('change', { settings, changedAt: this.now().toISOString() } satisfies SettingsChange);
    return settings;
  }
}
