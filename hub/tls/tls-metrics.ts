import { gaugeFrom, type MetricsRegistry } from '../../common/metrics/registry.js';
import type { HubTls } from './hub-tls.js';

// When the hub's certificate and CA expire, for a Prometheus alert well before rooms and browsers refuse
// the hub (e.g. `reception_hub_tls_expiry_timestamp_seconds - time() < 14 * 86400`). Read at every scrape,
// so a certificate renewed in the running hub shows at once.

export function registerTlsMetrics(registry: MetricsRegistry, tls: HubTls): void {
  if (tls.mode === 'off') return;
  gaugeFrom(
    registry,
    'reception_hub_tls_expiry_timestamp_seconds',
    'when the certificate the hub serves (certificate="server") and the CA it hands to rooms (certificate="ca") expire, Unix time',
    ['certificate'],
    () =>
      Object.entries(tls.expiry())
        .filter((e): e is [string, Date] => e[1] instanceof Date)
        .map(([certificate, at]) => [{ certificate }, Math.floor(at.getTime() / 1000)]),
  );
}
