import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** Azurite's well-known development account (public, documented; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/;

export interface AzuriteOptions {
  /** Keep data in memory only (tests). Otherwise data lives under `location`. */
  readonly inMemory?: boolean;
  /** Workspace folder for persisted data; default `.azurite/` in the current directory. */
  readonly location?: string;
  /** Fixed ports; default 0 = any free port (Azurite reports what it got). */
  readonly blobPort?: number;
  readonly queuePort?: number;
  readonly tablePort?: number;
  /** Give up if Azurite is not listening after this long. */
  readonly startTimeoutMs?: number;
}

export interface RunningAzurite {
  readonly connectionString: string;
  readonly blobPort: number;
  readonly queuePort: number;
  readonly tablePort: number;
  close(): Promise<void>;
}

/**
 * Runs Azurite's CLI (argv[1]) but exits when our end of its stdin closes, so an Azurite never outlives
 * a test worker or `npm start` that was killed without a chance to close it.
 */
const EXIT_WITH_PARENT =
  "process.stdin.on('end', () => process.exit(0)); process.stdin.on('error', () => process.exit(0)); process.stdin.resume(); require(process.argv[1]);";

function azuriteCli(): string {
  return join(require.resolve('azurite/package.json'), '..', 'dist', 'src', 'azurite.js');
}

function connectionString(blobPort: number, queuePort: number, tablePort: number): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${ACCOUNT_KEY}`,
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${tablePort}/${ACCOUNT}`,
  ].join(';');
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts Azurite (blob, queue, table) as a child process from node_modules and resolves once all three
 * services accept connections. Ports default to 0 (free ports), read back from Azurite's own output,
 * so parallel test files never collide.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const location = options.location ?? join(process.cwd(), '.azurite');
  const args = [
    '-e',
    EXIT_WITH_PARENT,
    azuriteCli(),
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queuePort',
    String(options.queuePort ?? 0),
    '--tablePort',
    String(options.tablePort ?? 0),
    '--skipApiVersionCheck',
    '--loose',
    '--silent',
    '--disableTelemetry',
  ];
  if (options.inMemory === true) args.push('--inMemoryPersistence', '--extentMemoryLimit', '64');
  else {
    mkdirSync(location, { recursive: true });
    args.push('--location', location);
  }
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const ports: Partial<Record<'Blob' | 'Queue' | 'Table', number>> = {};
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`Azurite did not start within ${options.startTimeoutMs ?? 30000} ms:\n${output}`)),
        options.startTimeoutMs ?? 30000,
      );
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        for (const line of output.split('\n')) {
          const match = LISTENING.exec(line);
          if (match !== null) ports[match[1] as 'Blob' | 'Queue' | 'Table'] = Number(match[2]);
        }
        if (ports.Blob !== undefined && ports.Queue !== undefined && ports.Table !== undefined) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with code ${code ?? 'null'}:\n${output}`));
      });
    });
    const { Blob: blobPort = 0, Queue: queuePort = 0, Table: tablePort = 0 } = ports;
    for (const port of [blobPort, queuePort, tablePort]) {
      if (!(await acceptsConnections(port)))
        throw new Error(`Azurite reported port ${port} but it refuses connections`);
    }
    child.stdout?.removeAllListeners('data');
    child.stdout?.resume();
    child.stderr?.resume();
    return {
      connectionString: connectionString(blobPort, queuePort, tablePort),
      blobPort,
      queuePort,
      tablePort,
      close: () => stop(child),
    };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
