import type { Logger } from '../logging/logger';
import { teams, type TeamsMessage } from './actions/teams';
import { deliverOnce, type DeliveryDeps, type DeliveryOutcome } from './deliver';
import type { NotifyConfig } from './notification-action';

/** One card per (version, run, verdict): to the owner channel, or to operators for Inconclusive. */
export async function sendVerdictCard(
  deps: DeliveryDeps,
  config: NotifyConfig,
  message: TeamsMessage,
  logger: Logger,
): Promise<DeliveryOutcome> {
  const { report, ref } = message.notice;
  const destination = teams.destination(config, message);
  if (destination === undefined) {
    logger.warn('no Teams webhook configured; card not sent');
    return {
      channel: teams.name,
      kind: report.verdict,
      destination: 'none',
      status: 'not-configured',
      attempts: 0,
    };
  }
  const notice =
    destination.warning === undefined
      ? message.notice
      : { ...message.notice, warnings: [...message.notice.warnings, destination.warning] };
  return deliverOnce(
    deps,
    { versionKey: ref.key, runId: report.runId, kind: report.verdict, channel: teams.name },
    report.versionId,
    { name: destination.name, url: destination.url },
    teams.render(config, { ...message, notice }),
    logger,
  );
}
