import { parseImageVersionId } from '../../../shared/arm/resource-id';
import type { VerdictNotice } from '../../../shared/notify/verdict-notice';
import type { VerdictReport } from '../../../shared/verdict/verdict';

export const SAMPLE_VERSION_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gg_demo_gallery/images/ubuntu-kernel-panic/versions/1.0.0';

export const failedReport: VerdictReport = {
  runId: 'run-0001',
  versionId: SAMPLE_VERSION_ID,
  verdict: 'Failed',
  checks: [
    {
      name: 'provisioning',
      status: 'Failed',
      reason: 'VM never reached agent Ready',
      region: 'eastus',
      vmName: 'ggv-a1-eastus',
      evidence: '[    2.104] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
    },
    {
      name: 'provisioning',
      status: 'Failed',
      reason: 'VM never reached agent Ready',
      region: 'westeurope',
      vmName: 'ggv-a1-westeurope',
    },
    { name: 'boot-log', status: 'Passed', reason: 'no errors' },
  ],
  regions: ['eastus', 'westeurope'],
  bootSeconds: { 'ggv-a1-eastus': 612, 'ggv-a1-westeurope': 600 },
  decidedAt: '2026-11-27T10:00:00.000Z',
};

export function noticeFor(report: VerdictReport, overrides: Partial<VerdictNotice> = {}): VerdictNotice {
  return {
    report,
    ref: parseImageVersionId(report.versionId),
    mode: 'quarantine',
    owner: 'team-linux@example.com',
    actionTaken:
      'Excluded from latest (version and every region); end of life set to 2026-11-27T10:00:00.000Z.',
    warnings: [],
    ...overrides,
  };
}
