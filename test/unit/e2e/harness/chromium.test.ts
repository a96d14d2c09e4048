import { describe, expect, it } from 'vitest';
import { findChromium, systemCandidates } from '../../../e2e/harness/chromium';

describe('systemCandidates', () => {
  it('tries Chromium, Chrome and Edge where each platform installs them', () => {
    expect(systemCandidates('linux', {})).toEqual(
      expect.arrayContaining(['/usr/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/microsoft-edge']),
    );
    expect(systemCandidates('linux', {})[0]).toBe('/usr/bin/chromium');
    expect(systemCandidates('darwin', {})).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const windows = systemCandidates('win32', { PROGRAMFILES: 'C:\\Program Files' });
    expect(windows.some((p) => p.endsWith('chrome.exe'))).toBe(true);
    expect(windows.some((p) => p.endsWith('msedge.exe'))).toBe(true);
  });
});

describe('findChromium', () => {
  it('takes LSTM_STUDIO_CHROMIUM first, and says so when it does not exist', async () => {
    await expect(findChromium({ LSTM_STUDIO_CHROMIUM: process.execPath })).resolves.toEqual({
      path: process.execPath,
      source: 'LSTM_STUDIO_CHROMIUM',
    });
    await expect(findChromium({ LSTM_STUDIO_CHROMIUM: '/nowhere/chromium' })).rejects.toThrow(
      'LSTM_STUDIO_CHROMIUM is /nowhere/chromium, which does not exist',
    );
  });

  it('finds a browser on this machine without apt (installed, or the one npm ships)', async () => {
    const found = await findChromium({});
    expect(found.path.length).toBeGreaterThan(0);
    expect(['installed on this machine', 'the @sparticuz/chromium npm package']).toContain(found.source);
  });
});
