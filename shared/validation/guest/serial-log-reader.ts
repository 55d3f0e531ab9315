import { get } from 'node:https';

/**
 * Reads the serial console log from the short-lived SAS URI boot diagnostics returns (a storage blob
 * URL, not an ARM call). Offline the simulator serves it under its own CA, passed as `ca`.
 */
export function serialLogReader(options: { ca?: string; maxBytes?: number; timeoutMs?: number } = {}) {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  return (uri: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const request = get(uri, { ca: options.ca, timeout: options.timeoutMs ?? 30_000 }, (response) => {
        if ((response.statusCode ?? 0) >= 400) {
          response.resume();
          reject(
            Object.assign(new Error(`Serial log download failed: HTTP ${response.statusCode}`), {
              statusCode: response.statusCode,
            }),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          // Keep the tail: a boot failure is at the end of the log.
          chunks.push(chunk);
          size += chunk.length;
          while (size > maxBytes && chunks.length > 1) size -= chunks.shift()!.length;
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('Serial log download timed out')));
      request.on('error', reject);
    });
}
