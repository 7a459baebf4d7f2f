// Starts the real `fastthread serve` on an ephemeral port with a fresh data folder, and
// stops it for sure: SIGTERM (drain), then SIGKILL if it has not exited in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FASTTHREAD_BINARY, STATIC_DIR } from './paths';

const LISTENING = /^fastthread: listening on (http:\/\/127\.0\.0\.1:\d+)\s*$/;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

// Servers still running if this test process itself goes away (a crash, Ctrl-C): killed
// then, so no run leaves a server behind.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServerOptions {
  workers?: number;
  // A token file (support/tokens.ts makes one): the server then wants a bearer token.
  tokensFile?: string;
  extraArgs?: string[];
}

export class Server {
  private exited: Promise<void>;
  private stderrTail: string[] = [];

  private constructor(
    readonly url: string,
    readonly dataDir: string,
    private readonly child: ChildProcess,
    exited: Promise<void>,
  ) {
    this.exited = exited;
  }

  get spoolDir(): string {
    return join(this.dataDir, 'spool');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  // The last lines the server wrote on stderr (its JSON log), for failure messages.
  get log(): string {
    return this.stderrTail.join('\n');
  }

  static async start(options: ServerOptions = {}): Promise<Server> {
    const dataDir = mkdtempSync(join(tmpdir(), 'fastthread-e2e-data-'));
    const args = [
      'serve', '--host', '127.0.0.1', '--port', '0',
      '--static-dir', STATIC_DIR, '--data-dir', dataDir,
      '--workers', String(options.workers ?? 2),
      // A stop in the middle of a test should not wait 30 s for a running job.
      '--drain-timeout', '2',
      ...(options.tokensFile ? ['--tokens', options.tokensFile] : []),
      ...(options.extraArgs ?? []),
    ];
    const child = spawn(FASTTHREAD_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const exited = new Promise<void>((done) => child.once('exit', () => { live.delete(child); done(); }));
    const stderrTail: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > 200) stderrTail.shift();
    });

    let url: string;
    try {
      url = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fastthread serve did not say where it listens within ${START_TIMEOUT_MS} ms`)),
          START_TIMEOUT_MS);
        child.once('error', (error) => { clearTimeout(timer); reject(error); });
        child.once('exit', (code, signal) => {
          clearTimeout(timer);
          reject(new Error(`fastthread serve exited (${signal ?? code}) before listening:\n${stderrTail.join('\n')}`));
        });
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const match = LISTENING.exec(line);
          if (match) { clearTimeout(timer); resolveUrl(match[1]); }
        });
      });
    } catch (error) {
      await stopChild(child, exited);
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    const server = new Server(url, dataDir, child, exited);
    server.stderrTail = stderrTail;
    return server;
  }

  // SIGHUP: the server reads its token file again and closes the connections of the
  // principals no longer in it.
  hangUp(): void {
    this.child.kill('SIGHUP');
  }

  // Stops the server (idempotent). The data folder stays until dispose().
  async stop(): Promise<void> {
    await stopChild(this.child, this.exited);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((done) => { timer = setTimeout(() => done(true), STOP_TIMEOUT_MS); });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    child.kill('SIGKILL');
    await exited;
  }
}
