import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The platform as `npm start` runs it: a separate Node process, so a test can kill it without mercy. */
export interface PlatformProcess {
  url: string;
  pid: number;
  /** SIGKILL: no shutdown hook runs, in-memory state is gone — a power cut. */
  kill(): Promise<void>;
  /** SIGTERM, as Kubernetes and Ctrl-C stop it; resolves with the exit code (null when it died of a signal). */
  stop(): Promise<number | null>;
  output(): string;
}

export interface PlatformProcessOptions {
  /** Extra Node flags, e.g. `--cpu-prof` for a benchmark. */
  nodeArguments?: string[];
  /** Another entry than the standalone platform (a benchmark's stripped-down server). */
  entry?: string;
  readyTimeoutMs?: number;
}

export async function startPlatformProcess(
  environment: Record<string, string>,
  port: number,
  options: PlatformProcessOptions = {},
): Promise<PlatformProcess> {
  const entry = options.entry ?? 'services/standalone/src/main.ts';
  const child = spawn(process.execPath, [...(options.nodeArguments ?? []), '--import', 'tsx', entry], {
    cwd: repositoryRoot,
    env: { ...process.env, ...environment, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000); // a long benchmark run must not grow without bound
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, () => output, options.readyTimeoutMs ?? 60_000);
  return {
    url,
    pid: child.pid!,
    kill: async () => void (await terminate(child, 'SIGKILL')),
    stop: () => terminate(child, 'SIGTERM'),
    output: () => output,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`platform did not become ready:\n${output()}`);
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
