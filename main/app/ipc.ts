/**
 * The only ipcMain user. Thin wiring: every StudioApi method gets one `ipcMain.handle` on its
 * `channelFor()` channel that hands the sender's frame to the trust check and the rest to
 * `dispatch()`; StudioEvents go to the window on EVENT_CHANNEL.
 */
import { ipcMain } from 'electron';
import type { BrowserWindow, WebFrameMain } from 'electron';
import { EVENT_CHANNEL, STUDIO_METHODS, channelFor } from '../../common/api';
import { dispatch } from '../service/ipc-dispatch';
import type { EventedStudioApi } from '../service/ipc-dispatch';
import { consoleLogger } from '../service/logger';
import type { Logger } from '../service/logger';

/**
 * Registers the handlers and the event relay. `isTrustedSender` decides per call whether the
 * frame is our window's main frame showing our renderer; `getWindow` names where events go;
 * refused senders and unexpected errors go to `logger`. Returns the teardown (removes handlers and the relay).
 */
export function setupIpc(
  service: EventedStudioApi,
  isTrustedSender: (frame: WebFrameMain | null) => boolean,
  getWindow: () => BrowserWindow | null,
  logger: Logger = consoleLogger,
): () => void {
  for (const method of STUDIO_METHODS) {
    ipcMain.handle(channelFor(method), (event, payload: unknown) => {
      const isTrusted = isTrustedSender(event.senderFrame);
      if (!isTrusted) logger.warn(`Refused ${channelFor(method)} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return dispatch(method, payload, isTrusted, service, (message, err) => logger.error(message, err));
    });
  }
  const offEvents = service.onEvent((event) => {
    const window = getWindow();
    if (window && !window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, event);
  });
  return () => {
    offEvents();
    for (const method of STUDIO_METHODS) ipcMain.removeHandler(channelFor(method));
  };
}
