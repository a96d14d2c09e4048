import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS, MENU_VIEWS } from '../../../common/menu-commands';
import { isMenuEvent, parseMenuCommand } from '../../../renderer/src/lib/menu-command';

describe('parseMenuCommand()', () => {
  it('reads every menu command the menu sends', () => {
    for (const command of MENU_COMMANDS) expect(parseMenuCommand({ type: 'menu', command })).toBe(command);
  });

  it('refuses a bad command payload: unknown, malformed, or carrying more than the command', () => {
    expect(parseMenuCommand({ type: 'menu', command: 'run-script' })).toBeNull();
    expect(parseMenuCommand({ type: 'menu', command: ['start-training'] })).toBeNull();
    expect(parseMenuCommand({ type: 'menu', command: 'start-training', request: { hyperparams: {} } })).toBeNull();
    expect(parseMenuCommand({ type: 'menu' })).toBeNull();
    expect(parseMenuCommand(undefined)).toBeNull();
  });

  it('ignores the service’s events', () => {
    expect(parseMenuCommand({ type: 'worker-restarted', reason: 'x' })).toBeNull();
    expect(isMenuEvent({ type: 'worker-restarted', reason: 'x' })).toBe(false);
    expect(isMenuEvent({ type: 'menu', command: 'nonsense' })).toBe(true);
  });
});

describe('MENU_VIEWS', () => {
  it('are the views the tabs show, in the same order', async () => {
    const { VIEWS } = await import('../../../renderer/src/lib/view-state');
    expect(VIEWS.map((view) => view.id)).toEqual([...MENU_VIEWS]);
  });
});
