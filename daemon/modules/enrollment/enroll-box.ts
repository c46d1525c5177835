import { createPublicKey, randomBytes } from 'node:crypto';
import { Agent, fetch as undiciFetch } from 'undici';
import { HUB_API } from '../../../common/contracts/route.js';
import {
  ENROLL_ROUTE,
  EnrollAnswer,
  answerMac,
  codeKey,
  ed25519KeyInfo,
  macEquals,
  normalizeCode,
  openToken,
  requestMac,
  type EnrollRequest,
} from '../../../common/contracts/enrollment.js';
import { writeEnrollment, type EnrollmentFile } from '../../../common/contracts/enrollment-file.js';
import { Value } from '@sinclair/typebox/value';
import type { Logger } from '../../../common/log.js';
import { createHubTrust } from '../../../common/tls/hub-trust.js';
import { createKeys } from '../keys/keys.js';
import { pinKey } from '../uploader/receipt-book.js';

// The box's half of enrollment (`reception enroll`). The appliance key is read (or made, first time),
// its public half sent with a MAC made with the code's key; the hub's answer is believed only if its MAC
// verifies with that same key — the hub proves it knows the code, so over https the exchange itself may
// run on a certificate the box cannot check yet. Then the box checks that the hub's certificate chains to
// the CA it was given, and only then writes `<state>/keys/enrollment.json` (0600).

export class EnrollError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface EnrollBoxOptions {
  hubUrl: string;
  code: string;
  room: string;
  stateDir: string;
  logger: Logger;
}

export async function enrollBox(opts: EnrollBoxOptions): Promise<{ file: string; enrollment: EnrollmentFile }> {
  if (!normalizeCode(opts.code)) throw new EnrollError('the code is 16 characters, XXXX-XXXX-XXXX-XXXX (as the technician got it)');
  const base = new URL(opts.hubUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new EnrollError(`--hub must be an https:// URL (got ${opts.hubUrl})`);
  const hubUrl = base.origin;
  const keys = createKeys({ stateDir: opts.stateDir, logger: opts.logger });
  await keys.start();
  const publicKeyPem = createPublicKey(keys.applianceKey().privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const key = codeKey(opts.code, opts.room);
  const fields = { room: opts.room, publicKeyPem, nonce: randomBytes(24).toString('base64url') };
  const body: EnrollRequest = { ...fields, mac: requestMac(key, fields) };

  // The exchange: the certificate is not checked here (the box has no CA yet); the answer's MAC is.
  const blind = new Agent({ connect: { rejectUnauthorized: false, timeout: 10_000 } });
  let res: Awaited<ReturnType<typeof undiciFetch>>;
  try {
    res = await undiciFetch(`${hubUrl}${HUB_API}${ENROLL_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: blind,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    throw new EnrollError(`cannot reach the hub at ${hubUrl}: ${(err as Error).cause ?? (err as Error).message}`);
  } finally {
    void blind.close();
  }
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) throw new EnrollError(`hub refused: ${String(answer.message ?? res.statusText)}`, res.status, String(answer.code ?? 'HTTP'));
  if (!Value.Check(EnrollAnswer, answer)) throw new EnrollError('the hub answered something that is not an enrollment answer');
  const { mac, ...rest } = answer;
  if (!macEquals(answerMac(key, fields.nonce, rest), mac))
    throw new EnrollError(
      'the answer is not from the hub that issued this code (MAC mismatch): nothing was saved',
      undefined,
      'HUB_NOT_AUTHENTIC',
    );
  if (rest.room !== opts.room || !ed25519KeyInfo(rest.hubReceiptKeyPem))
    throw new EnrollError('the hub answered for another room or without a receipt key');
  if (rest.fingerprint !== ed25519KeyInfo(publicKeyPem)!.fingerprint)
    throw new EnrollError('the hub enrolled another key than this box sent');
  const token = openToken(key, fields.nonce, rest.roomTokenSealed);
  if (!token) throw new EnrollError('the room token in the answer cannot be opened with this code', undefined, 'HUB_NOT_AUTHENTIC');

  if (base.protocol === 'https:') await checkTls(hubUrl, rest.caPem);
  const enrollment: EnrollmentFile = {
    hubUrl,
    room: rest.room,
    name: rest.name,
    token,
    fingerprint: rest.fingerprint,
    enrolledAt: rest.validFrom,
    ...(rest.caPem ? { caPem: rest.caPem } : {}),
    hubReceiptKeyPem: rest.hubReceiptKeyPem,
  };
  const file = await writeEnrollment(opts.stateDir, enrollment);
  await pinKey(opts.stateDir, ed25519KeyInfo(rest.hubReceiptKeyPem)!.raw.toString('base64')); // for reception verify --state-dir
  return { file, enrollment };
}

/** The hub's certificate must chain to the CA the (authenticated) answer named, or to the system's roots. */
async function checkTls(hubUrl: string, caPem: string | undefined) {
  const trust = createHubTrust({ caPem });
  try {
    await trust.fetch(`${hubUrl}/`, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new EnrollError(
      `the hub's TLS certificate is not signed by the CA it gave (${cause}): nothing was saved`,
      undefined,
      'TLS_MISMATCH',
    );
  } finally {
    await trust.close();
  }
}
