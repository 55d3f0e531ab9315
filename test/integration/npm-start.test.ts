/**
 * `npm start` as a person and a log pipeline see it (acceptance 3 and 4 of issue 14): on a terminal
 * it prints readable lines only (one per run transition, the cards), with GG_LOG_FORMAT=json nothing
 * but JSON lines; two instances on different GG_LOCAL_PORTs run side by side, and a third on a port
 * already taken stops at once with a message that names GG_LOCAL_PORT.
 */
import { execFileSync } from 'node:child_process';
import {
  freePort,
  isJsonObject,
  screenLines,
  startInstance,
  type StartedInstance,
} from '../support/npm-start-process';

const DEMO_DONE = /Demo finished: verdicts and what they changed/;
let terminal: StartedInstance;
let piped: StartedInstance;

beforeAll(async () => {
  // util-linux `script` gives the process a real pseudo-terminal (bsdutils, essential on Debian).
  execFileSync('script', ['--version']);
  const [a, b] = [await freePort(), await freePort()];
  terminal = startInstance({ port: a, tty: true });
  piped = startInstance({ port: b, tty: false, env: { GG_LOG_FORMAT: 'json' } });
  await Promise.all([terminal.waitFor(DEMO_DONE, 240_000), piped.waitFor(DEMO_DONE, 240_000)]);
}, 260_000);

afterAll(async () => {
  await Promise.all([terminal?.stop(), piped?.stop()]);
}, 40_000);

describe('npm start', () => {
  it('on a terminal prints readable lines only: no JSON, one line per run transition, the cards', () => {
    const lines = screenLines(terminal.output());
    expect(lines.length).toBeGreaterThan(40);
    expect(lines.filter(isJsonObject)).toEqual([]);
    expect(
      lines.some((l) =>
        /ubuntu-healthy 1\.0\.0 {2}AwaitReady → InspectBootLogs {2}\(6\/13, \d+\.\d s\)/.test(l),
      ),
    ).toBe(true);
    expect(
      lines.some((l) => /ubuntu-cloned 1\.0\.0 {2}Failed {2}\(\d+\.\d s since first seen\)/.test(l)),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('── Teams card'))).toBe(true);
    expect(lines.some((l) => /── PagerDuty page opened \(severity error\)/.test(l))).toBe(true);
  });

  it('with GG_LOG_FORMAT=json prints nothing but JSON lines, banner, cards and demo included', () => {
    const lines = screenLines(piped.output());
    expect(lines.length).toBeGreaterThan(40);
    expect(lines.filter((l) => !isJsonObject(l))).toEqual([]);
    const entries = lines.map((l) => JSON.parse(l) as { message?: string; summary?: string });
    expect(entries.some((e) => e.message?.startsWith('gallery-guard running offline'))).toBe(true);
    expect(entries.some((e) => e.message?.startsWith('── Teams card'))).toBe(true);
    expect(entries.some((e) => e.summary?.includes('AwaitReady → InspectBootLogs'))).toBe(true);
  });

  it('runs two instances side by side on their own GG_LOCAL_PORT', async () => {
    expect(terminal.port).not.toBe(piped.port);
    for (const instance of [terminal, piped]) {
      const response = await fetch(`http://127.0.0.1:${instance.port}/api/runs?code=local-dev-key`);
      expect(response.status).toBe(200);
      const { runs } = (await response.json()) as { runs: unknown[] };
      expect(runs).toHaveLength(6);
    }
  });

  it('stops at once on a port in use, with a message that names GG_LOCAL_PORT', async () => {
    const third = startInstance({ port: terminal.port, tty: false });
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(
      `Port ${terminal.port} is already in use, so the functions cannot be served there (GG_LOCAL_PORT=${terminal.port})`,
    );
    expect(third.output()).toMatch(/GG_LOCAL_PORT=\d+ npm start/);
    expect(third.output()).not.toMatch(/EADDRINUSE/);
  }, 60_000);
});
