import { createPublicKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { codeKey, openToken, requestMac } from '../../common/contracts/enrollment.js';
import type { EnrollmentFile } from '../../common/contracts/enrollment-file.js';
import { generateApplianceKey, type ApplianceKey } from '../../common/evidence/index.js';
import { silentLogger } from '../../common/log.js';
import { enrollBox } from '../../daemon/modules/enrollment/enroll-box.js';
import { CODES_FILE, createCodeStore } from '../enrollment/codes.js';
import type { Enrollment } from '../enrollment/create-enrollment.js';

// Rooms enrolled the real way for tests: a one-time code, then the exchange — over HTTP as the box does
// it (`enrollRoomAt`: a hub with a stateDir; the box's key and enrollment.json in `boxStateDir`), or in
// process against the hub's enrollment module (`enrollInProcess`: a token for inject()/WebSocket tests).

/** Issues a code into the hub's state dir (as `reception hub enroll-code` does) and enrolls the box over HTTP. */
export async function enrollRoomAt(o: {
  hubUrl: string;
  hubStateDir: string;
  room: string;
  boxStateDir: string;
  name?: string;
}): Promise<EnrollmentFile> {
  const codes = createCodeStore({ file: join(o.hubStateDir, CODES_FILE) });
  const { code } = await codes.issue({ room: o.room, name: o.name ?? o.room, ttlMinutes: 60, by: 'test' });
  return (await enrollBox({ hubUrl: o.hubUrl, code, room: o.room, stateDir: o.boxStateDir, logger: silentLogger() })).enrollment;
}

/** Enrolls `room` with a fresh appliance key directly through the hub's enrollment service. */
export async function enrollInProcess(
  e: Enrollment,
  room: string,
  name = room,
): Promise<{ token: string; key: ApplianceKey; fingerprint: string }> {
  const key = generateApplianceKey();
  const { code } = await e.codes.issue({ room, name, ttlMinutes: 60, by: 'test' });
  const publicKeyPem = createPublicKey(key.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const fields = { room, publicKeyPem, nonce: randomBytes(24).toString('base64url') };
  const k = codeKey(code, room);
  const answer = await e.service.enroll({ ...fields, mac: requestMac(k, fields) }, '127.0.0.1');
  return { token: openToken(k, fields.nonce, answer.roomTokenSealed)!, key, fingerprint: answer.fingerprint };
}
