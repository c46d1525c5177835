import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';

// The hub config's `turn` key: the TURN server(s) rooms and browsers use when UDP to the hub is blocked (coturn
// with `use-auth-secret` + `static-auth-secret`), and the secret the hub shares with them to issue short-lived
// credentials (TURN REST API). Checked at load: a malformed url, a missing or empty secret file name the field.

const TURN_URL = '^turns?:(\\[[0-9a-fA-F:.]+\\]|[^:?/\\s]+)(:[0-9]{1,5})?(\\?transport=(udp|tcp))?$';

export const TurnConfig = Type.Object(
  {
    urls: Type.Array(Type.String({ pattern: TURN_URL }), {
      default: [],
      description:
        'TURN servers in the order tried: "turn:HOST:3478?transport=udp", "turn:HOST:3478?transport=tcp", "turns:HOST:5349?transport=tcp" (TLS); [] = no TURN',
    }),
    secretFile: Type.String({
      default: '',
      description: "file holding coturn's static-auth-secret (one line, keep it 0600); required when urls is not empty",
    }),
    ttlSeconds: Type.Integer({
      minimum: 60,
      maximum: 86_400,
      default: 3600,
      description:
        'life of an issued credential: coturn checks it when an allocation is made (a running one goes on); signaling connections get fresh ones every ttl/2',
    }),
  },
  { additionalProperties: false, default: {}, description: 'TURN relay for rooms and browsers behind firewalls (hub/turn)' },
);
export type TurnConfig = Static<typeof TurnConfig>;

export class TurnConfigError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The shared secret, or a TurnConfigError naming the field; '' when TURN is off. */
export function readTurnSecret(turn: TurnConfig): string {
  if (turn.urls.length === 0) return '';
  if (!turn.secretFile)
    throw new TurnConfigError(
      '/turn/secretFile',
      'cần tệp khóa chung với máy chủ TURN / required when turn.urls is set (coturn static-auth-secret)',
    );
  let text: string;
  try {
    text = readFileSync(turn.secretFile, 'utf8');
  } catch (err) {
    throw new TurnConfigError(
      '/turn/secretFile',
      `không đọc được / cannot read ${turn.secretFile}: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  const secret = text.trim();
  if (secret.length < 16 || /\s/.test(secret))
    throw new TurnConfigError('/turn/secretFile', `${turn.secretFile}: the secret must be one word of at least 16 characters`);
  return secret;
}
