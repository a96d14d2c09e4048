/**
 * A real redis-server (Debian's, /usr/bin/redis-server) for the queue tests and the queue bench:
 * on a free loopback port, in a temp folder, with a password and append-only persistence, so a
 * restart keeps the queue. `stop` ends it (SIGTERM, as a service manager would), `restart`
 * brings it back on the same port and folder, `dispose` ends it and removes the folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** True when a redis-server can be started here (the tests skip, saying why, where it cannot). */
export function hasRedisServer(): boolean {
  return spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface RedisServerOptions {
  /** requirepass; null for none. Default a fixed test password. */
  password?: string | null;
}

export class RedisServer {
  readonly dir: string;
  #process: ChildProcess | null = null;
  #log = '';

  private constructor(
    readonly port: number,
    readonly password: string | null,
  ) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'lstm-studio-redis-'));
  }

  /** Starts one on a free port and resolves once it answers. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.password === undefined ? 'test-secret-8d1f' : options.password);
    await server.launch();
    return server;
  }

  /** `redis://:<password>@127.0.0.1:<port>/<db>`. */
  url(db = 0, password: string | null = this.password): string {
    return `redis://${password ? `:${encodeURIComponent(password)}@` : ''}127.0.0.1:${this.port}/${db}`;
  }

  /** What it printed, for a failing test's message. */
  get log(): string {
    return this.#log;
  }

  /** Ends it the way a service manager does (SIGTERM: it flushes the append-only file first). */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Stop, then start again on the same port and folder (the queue comes back from the append-only file). */
  async restart(pauseMs = 500): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--daemonize',
      'no',
      '--logfile',
      '',
      '--protected-mode',
      'yes',
      ...(this.password ? ['--requirepass', this.password] : []),
    ];
    const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.#log += chunk.toString()));
    this.#process = child;
    const deadline = Date.now() + 10_000;
    while (!(await answers(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${this.#log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A loopback port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts a connection on `port` and answers PING (with or without NOAUTH). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}
