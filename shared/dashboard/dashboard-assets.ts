import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folder (at the package root) whose files the dashboard serves; shipped with the app. */
export const DASHBOARD_FOLDER = 'dashboard';
const ENTRY = 'index.html';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** The dashboard's files, read once: name (relative, `/`-separated) → bytes and content type. */
export interface DashboardAssets {
  readonly folder: string;
  readonly page: DashboardAsset;
  asset(name: string): DashboardAsset | undefined;
}

/**
 * Where the dashboard folder is: beside the package root, wherever the code runs from. Compiled code
 * sits in dist/<folder>/, jest runs the sources, a bundle may put everything in one file; so look
 * upwards from this file's folder, then in the working directory (the Functions host starts in the
 * app root, `/home/site/wwwroot`).
 */
export function findDashboardFolder(start: string = __dirname, cwd: string = process.cwd()): string {
  const candidates: string[] = [];
  for (let dir = start, i = 0; i < 5; i++, dir = path.dirname(dir)) {
    candidates.push(path.join(dir, DASHBOARD_FOLDER));
  }
  candidates.push(path.join(cwd, DASHBOARD_FOLDER));
  const found = candidates.find((dir) => existsSync(path.join(dir, ENTRY)));
  if (found === undefined) {
    throw new Error(`dashboard/${ENTRY} not found (looked in ${candidates.join(', ')})`);
  }
  return found;
}

function listFiles(folder: string, prefix = ''): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const full = path.join(folder, entry);
    const name = prefix === '' ? entry : `${prefix}/${entry}`;
    return statSync(full).isDirectory() ? listFiles(full, name) : [name];
  });
}

/**
 * Loads every file of the dashboard folder with a known content type. Only these names are ever
 * served: a request can name nothing outside the folder (no path is joined from the request).
 */
export function loadDashboardAssets(folder: string = findDashboardFolder()): DashboardAssets {
  const files = new Map<string, DashboardAsset>();
  for (const name of listFiles(folder)) {
    const contentType = CONTENT_TYPES[path.extname(name).toLowerCase()];
    if (contentType === undefined) continue;
    files.set(name, { contentType, body: readFileSync(path.join(folder, name)) });
  }
  const page = files.get(ENTRY);
  if (page === undefined) throw new Error(`${folder}/${ENTRY} is missing`);
  return { folder, page, asset: (name) => (name === ENTRY ? undefined : files.get(name)) };
}
