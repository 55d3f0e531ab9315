import { parseImageVersionId } from '../../shared/arm/resource-id';
import { runVerdictActions } from '../../shared/remediation/run-verdict-actions';
import { pageStuckRun } from '../../shared/remediation/page-stuck-run';
import { recordFirstContact } from '../../shared/remediation/version-context';
import { createServices } from '../../shared/app/services';
import { redriveDueRuns, STUCK_RUN_AFTER_MS } from '../../shared/validation/engine/redrive-due-runs';
import {
  report,
  startVerdictActionsHarness,
  versionIdOf,
  type VerdictActionsHarness,
} from './verdict-actions-harness';
import { localCredential } from '../../local/azure/local-token-credential';

let h: VerdictActionsHarness;

beforeAll(async () => {
  h = await startVerdictActionsHarness();
});

afterAll(async () => {
  await h?.close();
});

it('pages once for a run the reconciler finds stuck, and a later pass resolves it', async () => {
  const versionId = versionIdOf('ubuntu-agent-stuck');
  const services = createServices(h.config, { credential: localCredential, logSink: () => undefined });
  const { run } = await services.ledger.createAttempt({
    version: parseImageVersionId(versionId),
    versionId,
    attempt: 1,
    source: 'eventgrid',
    eventId: 'evt-stuck',
  });
  await recordFirstContact(h.deps, versionId, h.logger);
  const redrive = (minutesLater: number) =>
    redriveDueRuns(
      {
        clock: () => new Date(Date.parse(run.nextActionAt) + minutesLater * 60_000),
        ledger: services.ledger,
        runQueue: services.runQueue,
        logger: h.logger,
        pageStuckRun: (stuck) => pageStuckRun(h.deps, stuck, h.logger),
      },
      60_000,
    );

  await redrive(5); // overdue, re-driven, not yet stuck
  expect(h.pagesFor('ubuntu-agent-stuck')).toHaveLength(0);
  await redrive(STUCK_RUN_AFTER_MS / 60_000 + 1);
  await redrive(STUCK_RUN_AFTER_MS / 60_000 + 2);
  const pages = h.pagesFor('ubuntu-agent-stuck');
  expect(pages).toHaveLength(1);
  expect(pages[0]).toMatchObject({ event_action: 'trigger', payload: { severity: 'warning' } });

  await runVerdictActions(h.deps, report('ubuntu-agent-stuck', 'Passed', 'run-as-2'), h.logger);
  expect(h.pagesFor('ubuntu-agent-stuck').map((p) => p.event_action)).toEqual(['trigger', 'resolve']);
});
