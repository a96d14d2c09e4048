import { describe, expect, it, vi } from 'vitest';

const { calls } = vi.hoisted(() => ({
  calls: {
    aboutOptions: [] as unknown[],
    aboutShown: 0,
    messageBoxes: [] as { detail?: string }[],
    response: 0,
    clipboard: [] as string[],
  },
}));
vi.mock('electron', () => ({
  app: {
    name: 'LSTM Studio',
    getVersion: () => '0.1.0',
    setAboutPanelOptions: (options: unknown) => void calls.aboutOptions.push(options),
    showAboutPanel: () => void calls.aboutShown++,
  },
  dialog: {
    showMessageBox: async (...args: unknown[]) => (
      calls.messageBoxes.push(args.at(-1) as { detail?: string }),
      { response: calls.response }
    ),
  },
  clipboard: { writeText: (text: string) => void calls.clipboard.push(text) },
}));

const { aboutLines, showAbout } = await import('../../../../main/app/about');

const engine = { backend: 'wasm' as const, backendNote: null, versions: { tfjs: '4.22.0', app: '0.1.0', node: '22.20.0' } };
const versions = { electron: '45.5.0', chrome: '140.0.7339.80', node: '22.20.0' };

describe('aboutLines()', () => {
  it('lists Electron, Chromium, Node, TensorFlow.js and the backend in use', () => {
    expect(aboutLines({ appName: 'LSTM Studio', appVersion: '0.1.0', versions, engine })).toEqual([
      'Electron 45.5.0',
      'Chromium 140.0.7339.80',
      'Node 22.20.0',
      'TensorFlow.js 4.22.0',
      'Backend: wasm',
    ]);
  });

  it('says why a faster backend is not used, and when the trainer has not reported yet', () => {
    const slow = aboutLines({ appName: 'x', appVersion: '1', versions, engine: { ...engine, backend: 'cpu', backendNote: 'wasm failed' } });
    expect(slow.at(-1)).toBe('Backend: cpu (wasm failed)');
    const starting = aboutLines({ appName: 'x', appVersion: '1', versions, engine: null });
    expect(starting.slice(-2)).toEqual([
      'TensorFlow.js unknown until the trainer has started',
      'Backend: not chosen yet, the trainer is still starting',
    ]);
  });
});

describe('showAbout()', () => {
  it('shows the facts in a dialog off macOS, and copies them when asked', async () => {
    if (process.platform === 'darwin') return; // the native panel is used there
    calls.response = 1; // "Copy"
    await showAbout(null, engine);
    expect(calls.messageBoxes.at(-1)?.detail).toContain('TensorFlow.js 4.22.0');
    expect(calls.messageBoxes.at(-1)?.detail).toContain(`Electron ${process.versions.electron ?? 'unknown'}`);
    expect(calls.clipboard.at(-1)).toMatch(/^LSTM Studio 0\.1\.0\n/);
    expect(calls.aboutShown).toBe(0);
  });
});
