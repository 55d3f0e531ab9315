import { renderRunDetail, renderVersionAction } from '../../../cli/render';
import type { RunDetail } from '../../../shared/operator/run-detail';

describe('gg renders rollouts and roll backs', () => {
  it('gg runs show lists the rollout per region, in rollout order', () => {
    const detail = {
      run: {
        image: 'ubuntu',
        version: '1.2.0',
        attempt: 1,
        state: 'Failed',
        verdict: 'Failed',
        gallery: 'g',
        runId: 'p/1',
        firstSeenAt: '2026-12-01T10:00:00.000Z',
        updatedAt: '2026-12-01T10:05:00.000Z',
        sources: ['eventgrid'],
      },
      validation: { phase: 'Complete', regions: [], targetRegions: [], policyProblems: [], infraFaults: 0 },
      attempts: [],
      phases: [],
      vms: [],
      checks: [],
      remediation: [],
      notifications: [],
      operatorRequests: [],
      diffs: [],
      rollout: {
        status: 'stopped',
        regions: [
          { name: 'westeurope', state: 'rolled-back', verdict: 'Passed', at: '2026-12-01T10:01:00.000Z' },
          { name: 'eastus', state: 'failed', verdict: 'Failed', reason: 'validation failed in eastus' },
          { name: 'northeurope', state: 'quarantined', verdict: 'Passed' },
        ],
      },
    } as unknown as RunDetail;
    const text = renderRunDetail(detail).join('\n');
    expect(text).toContain('Regional rollout: stopped');
    expect(text).toMatch(/westeurope\s+rolled-back\s+Passed\s+2026-12-01 10:01:00Z/);
    expect(text).toMatch(/eastus\s+failed\s+Failed\s+-\s+validation failed in eastus/);
    expect(text.indexOf('westeurope')).toBeLessThan(text.indexOf('northeurope'));
  });

  it('gg rollback prints what latest resolves to per region, before and now', () => {
    const lines = renderVersionAction({
      action: 'rollback',
      status: 'rolled-back',
      reason: 'excluding from latest in eastus, westeurope',
      latestBefore: { eastus: '1.1.0', westeurope: '1.1.0' },
      latestAfter: { eastus: '1.0.0', westeurope: null },
      protection: { '1.0.0': 'protected' },
    });
    expect(lines).toContain('  eastus      1.1.0   1.0.0');
    expect(lines).toContain('  westeurope  1.1.0   none (a VM create from the definition fails there)');
    expect(lines).toContain('  1.0.0: protected (safetyProfile.allowDeletionOfReplicatedLocations=false)');
  });
});
