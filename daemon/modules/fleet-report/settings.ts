import type { Static } from '@sinclair/typebox';
import type { FleetConfig, GatewayConfig, UploaderConfig } from '../../config/schema.js';
import { uploaderSettings } from '../uploader/settings.js';

// The fleet reporter's slice of the config: hub URL and room secret exactly as the uploader derives them.
export function fleetReportSettings(
  fleet: Static<typeof FleetConfig>,
  uploader: Static<typeof UploaderConfig>,
  gateway: Static<typeof GatewayConfig>,
) {
  const { hubUrl, secret } = uploaderSettings(uploader, gateway);
  return { hubUrl, secret, intervalMs: fleet.reportSeconds * 1000 };
}
