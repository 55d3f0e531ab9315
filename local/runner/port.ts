import { createServer } from 'node:net';

/** The runner's port is taken: says which setting moves it, instead of a bare EADDRINUSE. */
export class PortBusyError extends Error {
  constructor(
    readonly port: number,
    setting: string,
  ) {
    super(
      `Port ${port} is already in use, so the functions cannot be served there (${setting}=${port}). ` +
        `Another npm start or func start is probably running: stop it, or start this one on a free port, ` +
        `e.g. ${setting}=${port + 1} npm start`,
    );
    this.name = 'PortBusyError';
  }
}

export function isAddressInUse(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';
}

/** Fails fast, before anything else starts, when `port` on `host` cannot be bound. */
export function assertPortFree(port: number, host: string, setting: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => reject(isAddressInUse(error) ? new PortBusyError(port, setting) : error));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
