import { endOfLife } from '../../shared/remediation/actions/end-of-life';
import { readRecord } from '../../shared/remediation/remediation-ledger';
import { actionRegistry } from '../../shared/remediation/registry';
import { runVerdictActions } from '../../shared/remediation/run-verdict-actions';
import { loadVerdictPlan } from '../../shared/remediation/verdict-plan';
import { excludeOneRegion } from '../unit/remediation/exclude-one-region';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { report, startVerdictActionsHarness, type VerdictActionsHarness } from './verdict-actions-harness';

let h: VerdictActionsHarness;

beforeAll(async () => {
  h = await startVerdictActionsHarness();
});

afterAll(async () => {
  await h?.close();
});

it('runs an action registered in a test registry through the real verdict loop, once', async () => {
  const none = { Passed: [], Failed: [], Inconclusive: [] };
  const plan = loadVerdictPlan(
    {
      'report-only': none,
      quarantine: { ...none, Failed: [{ action: 'exclude-one-region', params: { region: 1 } }] },
      gate: none,
    },
    actionRegistry([excludeOneRegion, endOfLife]),
  );
  const deps = { ...h.deps, plan };
  const failed = report('ubuntu-healthy', 'Failed', 'run-reg-1');

  const outcome = await runVerdictActions(deps, failed, h.logger);
  await runVerdictActions(deps, failed, h.logger);

  expect(outcome).toMatchObject({
    status: 'acted',
    mode: 'quarantine',
    actionTaken: 'Excluded one region. Latest now resolves to: eastus 1.0.0, westeurope none.',
  });
  expect(outcome.actions.map((a) => [a.action, a.outcome])).toEqual([['exclude-one-region', 'applied']]);
  const state = await h.readVersion('ubuntu-healthy');
  expect(state.excludeFromLatest).toBe(false);
  expect(state.regions.map((r) => r.excludeFromLatest)).toEqual([false, true]);
  expect(state.endOfLifeDate).toBeUndefined();
  // What the action owns (its claim) and what its outcome means (its settle), in the state row.
  const stored = await readRecord(h.deps.remediationTable, parseImageVersionId(failed.versionId).key);
  expect(stored?.record).toMatchObject({
    ownedRegionExclusions: ['westeurope'],
    quarantinedRunId: 'run-reg-1',
  });
  // The action declares that it quarantines: one card and one page, despite the repeat.
  expect(h.cardsFor('ubuntu-healthy')).toHaveLength(1);
  expect(JSON.stringify(h.cardsFor('ubuntu-healthy')[0])).toContain('Excluded one region.');
  expect(h.pagesFor('ubuntu-healthy').map((p) => p.event_action)).toEqual(['trigger']);
});
