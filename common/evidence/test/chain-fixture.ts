import { createPrivateKey } from 'node:crypto';
import { sealEntry, type ApplianceKey, type BookRecord, type EntryBody, type ManifestEntry } from '../index.js';

// Test helpers: an RFC 8032 test-1 key (known answers) and a chain builder.

export const RFC8032_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

export function rfcKey(): ApplianceKey {
  const der = Buffer.from('302e020100300506032b657004220420' + RFC8032_SEED, 'hex'); // PKCS#8 wrapper of the seed
  const privateKeyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { privateKeyPem, publicKeyRaw: Buffer.from(RFC8032_PUBLIC, 'hex') };
}

export const T0 = Date.parse('2024-05-06T07:08:09.000Z');
export const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

/** 10 s segments back to back, starting at T0. */
export function segment(i: number, extra: Partial<Extract<EntryBody, { kind: 'segment' }>> = {}): EntryBody {
  return {
    kind: 'segment',
    file: `seg-${String(i).padStart(5, '0')}.mkv`,
    sha256: 'ab'.repeat(32),
    bytes: 1000 + i,
    durationMs: 10_000,
    start: iso(i * 10_000),
    end: iso(i * 10_000 + 10_000),
    ...extra,
  };
}

/** open + the given bodies, sealed in order. */
export function chainOf(bodies: EntryBody[], key: ApplianceKey = rfcKey(), hearing = 'h1'): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  const open = sealEntry(
    { kind: 'open', hearing, at: iso(0), room: 'room-a', publicKey: key.publicKeyRaw.toString('base64'), start: iso(0) },
    null,
    key.privateKeyPem,
  );
  out.push(open);
  bodies.forEach((b, i) =>
    out.push(
      sealEntry({ ...b, hearing, at: iso(i * 1000 + 1) } as Parameters<typeof sealEntry>[0], out[out.length - 1], key.privateKeyPem),
    ),
  );
  return out;
}

/** A denunciation with identity strings tests can search for. */
export const sampleBook = (classification: BookRecord['classification'] = 'denunciation'): BookRecord => ({
  receivedAt: '2024-05-06T07:08:09.000Z',
  officer: { name: 'Trần Thị Bình', unit: 'Ban Tiếp công dân tỉnh' },
  citizen: { fullName: 'Nguyễn Văn Tố', address: '12 Đường Láng, Đống Đa, Hà Nội', idNumber: '001088012345', idType: 'CCCD' },
  classification,
  summary: 'Tố cáo hành vi nhận hối lộ',
  handling: 'Chuyển cơ quan có thẩm quyền',
  participants: { rooms: ['room-a'], officers: ['Trần Thị Bình'] },
  updatedAt: '2024-05-06T07:30:00.000Z',
});
