import type { Static } from '@sinclair/typebox';
import type { GatewayConfig, UploaderConfig } from '../../config/schema.js';
import { hubBaseFromSignalUrl } from './hub-client.js';

// The uploader's slice of the config, in the units the module uses.
export function uploaderSettings(u: Static<typeof UploaderConfig>, gateway: Static<typeof GatewayConfig>) {
  return {
    hubUrl: u.hubUrl ? u.hubUrl.replace(/\/$/, '') : hubBaseFromSignalUrl(gateway.hubUrl),
    secret: '', // the credential comes from the enrollment (<paths.state>/keys/enrollment.json) only
    chunkBytes: u.chunkKb * 1024,
    maxBackoffMs: u.maxBackoffSeconds * 1000,
    manifestIntervalMs: u.manifestIntervalSeconds * 1000,
    rescanMs: u.rescanSeconds * 1000,
  };
}
