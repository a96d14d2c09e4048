/**
 * StudioEvents to the page as Server-Sent Events: one `data:` line of JSON per event, in the
 * order the service emits them (already coalesced there, so never one per batch). The page's
 * EventSource reconnects by itself after a dropped connection.
 */
import type http from 'node:http';
import type { StudioEvent } from '../../common/api';

/** Comment lines keep idle proxies and SSH tunnels from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/** Anything that streams StudioEvents (StudioService). */
export interface EventSourceLike {
  onEvent(callback: (event: StudioEvent) => void): () => void;
}

/**
 * Streams events until the page goes away; returns a function that ends the stream (the server's
 * close calls it, as an event stream never ends by itself).
 */
export function streamEvents(res: http.ServerResponse, source: EventSourceLike, onClosed: () => void): () => void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  const off = source.onEvent((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let isClosed = false;
  const close = (): void => {
    if (isClosed) return;
    isClosed = true;
    off();
    clearInterval(heartbeat);
    onClosed();
    res.end();
  };
  res.on('close', close);
  return close;
}
