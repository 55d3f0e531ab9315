/** What `gg` exits with, so scripts can branch on the outcome (README lists them too). */
export const ExitCode = {
  Ok: 0,
  /** The API answered 5xx or could not be reached. */
  Failed: 1,
  /** Bad arguments, or the API refused the input (400). */
  Usage: 2,
  /** Nothing matches (404). */
  NotFound: 3,
  /** Refused: conflict or outside the configured galleries (409, 403). */
  Refused: 4,
  /** Missing or wrong function key (401). */
  Unauthorized: 5,
  /** `gg health` found problems. */
  Unhealthy: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeForStatus(status: number): ExitCode {
  if (status >= 200 && status < 300) return ExitCode.Ok;
  if (status === 400 || status === 413) return ExitCode.Usage;
  if (status === 401) return ExitCode.Unauthorized;
  if (status === 404) return ExitCode.NotFound;
  if (status === 403 || status === 409) return ExitCode.Refused;
  return ExitCode.Failed;
}
