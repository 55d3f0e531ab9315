/** HTTP status of an Azure SDK error (RestError), if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/**
 * Storage failures worth retrying (throttling, server errors, network trouble without a status). The
 * webhooks answer these with 503 so Event Grid and action groups deliver again.
 */
export function isTransientStorageError(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|REQUEST_SEND_ERROR/i.test(code);
  }
  return status === 408 || status === 429 || status >= 500;
}
