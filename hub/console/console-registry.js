// @ts-check
// The registry section of the console (technicians; monitors read it): enrolled rooms, their appliance
// keys (fingerprint, enrolled when and by whom, valid from/to, revoked), a one-time enrollment code for a
// room, and revocation. Officers do not see it (the API answers them 403); the rooms table shows a
// revoked room as "Đã thu hồi / Revoked" for everyone who may read the registry.

/** @typedef {{ fingerprint: string, enrolledAt: string, enrolledBy: string, validFrom: string, validTo?: string, revokedAt?: string, revokedBy?: string, reason?: string }} KeyView */
/** @typedef {{ id: string, name: string, state: 'active' | 'revoked' | 'none', keys: KeyView[] }} RoomView */

export const STATE_WORDS = {
  active: 'Đã ghi danh / Enrolled',
  revoked: 'Đã thu hồi / Revoked',
  none: 'Chưa có khóa hiệu lực / No valid key',
};

const time = (/** @type {string | undefined} */ iso) => (iso ? iso.replace('T', ' ').slice(0, 16) : '');

/** One line per key, newest first: "b32e8aa6… 2026-12-02 17:10 → 2026-12-03 09:00 (thu hồi / revoked by tech: box lost)". */
export function keyLine(/** @type {KeyView} */ k) {
  const until = k.revokedAt ? time(k.revokedAt) : k.validTo ? time(k.validTo) : 'nay / now';
  const end = k.revokedAt
    ? ` (thu hồi bởi / revoked by ${k.revokedBy ?? '?'}${k.reason ? `: ${k.reason}` : ''})`
    : k.validTo
      ? ' (đã thay / replaced)'
      : '';
  return `${k.fingerprint.slice(0, 16)}… ${time(k.validFrom)} → ${until}${end} · ${k.enrolledBy}`;
}

/** The table's rows: [id, name, state class, state words, key lines]. */
export function registryRows(/** @type {RoomView[]} */ rooms) {
  return rooms.map((r) => ({
    id: r.id,
    name: r.name,
    state: r.state,
    words: STATE_WORDS[r.state],
    keys: [...r.keys].reverse().map(keyLine),
    revocable: r.state === 'active',
  }));
}
