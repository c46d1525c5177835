import { readFileSync } from 'node:fs';
import { type Static, Type } from '@sinclair/typebox';
import { publicKeyRawFromAnyPem } from '../../common/evidence/keys.js';

// The hub config's `updates` key (hub/updates): the release public key the hub checks uploaded releases
// against, so a technician cannot hand the rooms a bundle they would refuse anyway (each room checks again
// with its own trusted key).
export const UpdatesConfig = Type.Object(
  {
    releaseKeyFile: Type.String({
      default: '',
      description: 'release public key (PEM, from `reception release keygen`); "" = the hub takes no releases (503)',
      env: 'RECEPTION_HUB_RELEASE_KEY_FILE',
    }),
    releasesDir: Type.Optional(
      Type.String({
        default: '',
        description:
          'where the release files are kept; "" = <stateDir>/releases. Several hub nodes: one directory on shared storage (NFS…) for all',
        env: 'RECEPTION_HUB_RELEASES_DIR',
      }),
    ),
  },
  { additionalProperties: false, default: {}, description: 'signed software updates for the rooms (hub/updates)' },
);
export type UpdatesConfig = Static<typeof UpdatesConfig>;

/** The release public key (raw 32 bytes), undefined when updates are off; throws naming the field. */
export function readReleaseKey(c: UpdatesConfig | undefined): Buffer | undefined {
  if (!c?.releaseKeyFile) return undefined;
  try {
    return publicKeyRawFromAnyPem(readFileSync(c.releaseKeyFile, 'utf8'));
  } catch (err) {
    throw new UpdatesConfigError(`cannot use ${c.releaseKeyFile} as the release public key: ${(err as Error).message}`);
  }
}

export class UpdatesConfigError extends Error {
  readonly path = '/updates/releaseKeyFile';
}
