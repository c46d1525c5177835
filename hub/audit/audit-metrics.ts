import { gaugeFrom, type MetricsRegistry } from '../../common/metrics/registry.js';
import type { HubAuditLog } from './audit-log.js';

/** `reception_hub_audit_chain_broken` 1 when the audit log's chain was found broken at start (alert on it). */
export function registerAuditMetrics(registry: MetricsRegistry, audit: Pick<HubAuditLog, 'broken'>): void {
  gaugeFrom(
    registry,
    'reception_hub_audit_chain_broken',
    '1 when the hub found its audit log hash chain broken at start (tampering or damage; the broken file is kept aside)',
    [],
    () => [[{}, audit.broken ? 1 : 0]],
  );
}
