import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appRoot, dataPaths, defaultDataRoot, unpackedPath, workerPath } from '../../../../main/service/paths';

describe('defaultDataRoot()', () => {
  const home = '/home/ada';

  it('prefers LSTM_STUDIO_HOME on every platform', () => {
    expect(defaultDataRoot({ LSTM_STUDIO_HOME: '/tmp/studio' }, 'win32', home)).toBe(path.resolve('/tmp/studio'));
  });

  it('matches Electron userData for productName "LSTM Studio" on Linux, macOS and Windows', () => {
    expect(defaultDataRoot({}, 'linux', home)).toBe(path.join(home, '.config', 'LSTM Studio'));
    expect(defaultDataRoot({ XDG_CONFIG_HOME: '/xdg' }, 'linux', home)).toBe(path.join('/xdg', 'LSTM Studio'));
    expect(defaultDataRoot({}, 'darwin', home)).toBe(path.join(home, 'Library', 'Application Support', 'LSTM Studio'));
    expect(defaultDataRoot({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', home)).toBe(
      path.join('C:\\Users\\ada\\AppData\\Roaming', 'LSTM Studio'),
    );
  });

  it('puts data and runs side by side under the root', () => {
    expect(dataPaths('/root')).toEqual({ dataDir: path.join('/root', 'data'), runsDir: path.join('/root', 'runs') });
  });
});

describe('appRoot() and workerPath()', () => {
  it('finds the repository root (the folder with our package.json)', () => {
    expect(existsSync(path.join(appRoot(), 'common', 'api.ts'))).toBe(true);
    expect(workerPath('/app')).toBe(path.join('/app', 'out', 'worker', 'worker.mjs'));
  });

  it('reads the worker from app.asar.unpacked in a packaged app', () => {
    expect(workerPath('/opt/LSTM Studio/resources/app.asar')).toBe(
      path.join('/opt/LSTM Studio/resources/app.asar.unpacked', 'out', 'worker', 'worker.mjs'),
    );
    expect(unpackedPath('/a/app.asarx/b')).toBe('/a/app.asarx/b');
  });
});
