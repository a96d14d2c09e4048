/** What a test needs to show that a server is reachable on loopback only. */
import net from 'node:net';
import { networkInterfaces } from 'node:os';

/** This machine's first non-loopback IPv4 address, if it has one. */
export const externalAddress: string | undefined = Object.values(networkInterfaces())
  .flat()
  .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;

/** Tries a TCP connection: 'connected', or the error code (ECONNREFUSED when nothing listens there). */
export function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}
