import type { ReceivedEventServices } from './ingest-services';

/**
 * Retention rule for the audit table: rows received on a UTC day more than GG_AUDIT_RETENTION_DAYS days
 * before today are deleted (run rows are never purged by this). Runs daily from the audit-retention timer.
 */
export async function enforceAuditRetention(
  services: Pick<ReceivedEventServices, 'audit' | 'config' | 'logger'>,
): Promise<number> {
  const days = services.config.ingest.auditRetentionDays;
  const deleted = await services.audit.purgeOlderThan(days);
  services.logger.info('Audit retention enforced', { retentionDays: days, deleted });
  return deleted;
}
