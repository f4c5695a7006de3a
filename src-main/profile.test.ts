import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveProfileDir } from './profile';

describe('resolveProfileDir', () => {
  it('uses WARROOM_HOME when set', () => {
    expect(resolveProfileDir({ WARROOM_HOME: '/tmp/custom' }, 'linux', '/home/ada')).toBe(path.resolve('/tmp/custom'));
  });
  it('follows each OS convention for app data', () => {
    expect(resolveProfileDir({}, 'linux', '/home/ada')).toBe('/home/ada/.config/War Room');
    expect(resolveProfileDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/War Room');
    expect(resolveProfileDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/War Room');
    expect(resolveProfileDir({ APPDATA: 'C:/Users/ada/AppData/Roaming' }, 'win32', 'C:/Users/ada')).toBe(
      path.join('C:/Users/ada/AppData/Roaming', 'War Room'),
    );
  });
});
