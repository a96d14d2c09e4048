import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS, MENU_VIEWS, MenuCommandEventSchema, showCommand, viewOf } from '../../../common/menu-commands';

describe('MenuCommandEventSchema', () => {
  it('accepts every menu command', () => {
    for (const command of MENU_COMMANDS) expect(MenuCommandEventSchema.safeParse({ type: 'menu', command }).success).toBe(true);
  });

  it('refuses an unknown command, another type, a missing command or extra fields', () => {
    const refused = [
      { type: 'menu', command: 'delete-everything' },
      { type: 'menu', command: 'show-settings' },
      { type: 'menu', command: 'START-TRAINING' },
      { type: 'menu' },
      { type: 'progress', command: 'start-training' },
      { type: 'menu', command: 'start-training', hyperparams: { units: 1 } },
      { type: 'menu', command: 7 },
      'start-training',
      null,
    ];
    for (const event of refused) expect(MenuCommandEventSchema.safeParse(event).success).toBe(false);
  });
});

describe('viewOf()', () => {
  it('names the view of each show command, in tab order, and none for the others', () => {
    expect(MENU_VIEWS.map((view) => viewOf(showCommand(view)))).toEqual([...MENU_VIEWS]);
    expect(viewOf('start-training')).toBeNull();
    expect(viewOf('undo-stroke')).toBeNull();
  });
});
