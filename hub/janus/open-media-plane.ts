import { readFile } from 'node:fs/promises';
import type { Logger } from '../../common/log.js';
import type { IceConfig } from '../config/schema.js';
import type { MediaPlane } from '../sfu/media-plane.js';
import { hubPeerConfig } from '../sfu/peer-config.js';
import { janusInfo } from './janus-client.js';
import { janusPlane } from './janus-plane.js';
import type { MediaConfig } from './media-config.js';

// The plane the config asks for, checked before the hub listens: a Janus that does not answer (or refuses our
// secret, or has no VideoRoom) stops the start with an error naming the field and the URL (exit 1).

/** A Janus that does not answer at the hub's start (or refuses our secret): the message names the URL. */
export class MediaPlaneStartError extends Error {}

/** The plane the config asks for; janus is checked first (GET /info and a session with our secret). werift: undefined (the conference's default). */
export async function openMediaPlane(media: MediaConfig | undefined, ice: IceConfig, logger: Logger): Promise<MediaPlane | undefined> {
  if (media?.plane !== 'janus') return undefined;
  const { url, apiSecretFile, timeoutMs, adminUrl, adminSecretFile } = media.janus;
  const secretOf = async (field: string, file: string) =>
    file
      ? (
          await readFile(file, 'utf8').catch((err: Error) => {
            throw new MediaPlaneStartError(`media.janus.${field}: cannot read ${file} (${err.message})`);
          })
        ).trim()
      : '';
  const apiSecret = await secretOf('apiSecretFile', apiSecretFile);
  const admin = adminUrl ? { url: adminUrl, secret: await secretOf('adminSecretFile', adminSecretFile), timeoutMs } : undefined;
  const endpoint = { url, apiSecret, timeoutMs };
  const info = await janusInfo(endpoint).catch((err: Error) => {
    throw new MediaPlaneStartError(`media.janus.url: Janus at ${url} — ${err.message}`);
  });
  logger.info({ url, version: info.version_string }, 'media plane: janus');
  if (!info.plugins['janus.plugin.videoroom'])
    throw new MediaPlaneStartError(`media.janus.url: Janus at ${url} has no VideoRoom plugin loaded`);
  return janusPlane({ endpoint, admin, peerConfig: hubPeerConfig(ice), logger });
}
