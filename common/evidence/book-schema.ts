import { Type, type Static } from '@sinclair/typebox';

// Reception book record of one hearing ("Sổ tiếp công dân", Circular 04/2021/TT-TTCP).
// date-time is a pattern, not `format`, so TypeBox's Value.Check and fastify's ajv agree without plugins.

const ISO_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
const IsoTime = (description: string) => Type.String({ pattern: ISO_PATTERN, description });
const Text = (description: string, maxLength = 200) => Type.String({ minLength: 1, maxLength, description });

/** Hearing ids become directory names: no slashes, no leading dot. */
export const HEARING_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

export const CLASSIFICATIONS = { complaint: 'khiếu nại', denunciation: 'tố cáo', petition: 'kiến nghị', reflection: 'phản ánh' } as const;
export type Classification = keyof typeof CLASSIFICATIONS;

export const Citizen = Type.Object(
  {
    fullName: Text('họ và tên / full name'),
    address: Text('địa chỉ / address', 500),
    idNumber: Text('số giấy tờ tùy thân / identity document number', 40),
    idType: Type.Optional(Text('loại giấy tờ (CCCD, hộ chiếu…) / document type', 60)),
  },
  { additionalProperties: false, description: 'the citizen; encrypted at rest for denunciations' },
);
export type Citizen = Static<typeof Citizen>;

const fields = {
  receivedAt: IsoTime('thời gian tiếp / when the citizen was received'),
  officer: Type.Object(
    { name: Text('cán bộ tiếp / receiving officer'), unit: Text("đơn vị / officer's unit") },
    { additionalProperties: false },
  ),
  citizen: Citizen,
  classification: Type.Union(
    Object.keys(CLASSIFICATIONS).map((k) => Type.Literal(k as Classification)),
    {
      description: 'complaint (khiếu nại) | denunciation (tố cáo) | petition (kiến nghị) | reflection (phản ánh)',
    },
  ),
  summary: Text('tóm tắt nội dung / content summary', 10_000),
  handling: Text('hướng xử lý / handling direction', 10_000),
  participants: Type.Object(
    {
      rooms: Type.Array(Text('room id'), { maxItems: 50, description: 'rooms that took part' }),
      officers: Type.Array(Text('officer name'), { maxItems: 50, description: 'officers who took part' }),
    },
    { additionalProperties: false },
  ),
};

/** What an officer submits (PUT body). */
export const BookInput = Type.Object(fields, { additionalProperties: false });
export type BookInput = Static<typeof BookInput>;
/** What is kept: the input plus the server's last-write time. */
export const BookRecord = Type.Object({ ...fields, updatedAt: IsoTime('last change') }, { additionalProperties: false });
export type BookRecord = Static<typeof BookRecord>;

export const SealedIdentity = Type.Object(
  { enc: Type.Literal('aes-256-gcm'), iv: Type.String(), tag: Type.String(), data: Type.String() },
  { additionalProperties: false, description: 'AES-256-GCM of the citizen JSON, base64 parts' },
);
export type SealedIdentity = Static<typeof SealedIdentity>;
export type StoredBook = Omit<BookRecord, 'citizen'> & { v: 1; citizen: Citizen | SealedIdentity };
export type RedactedBook = Omit<BookRecord, 'citizen'> & { citizen: null; redacted: true };

/** What GET returns: the citizen, or null with `redacted: true` for callers who may not see it. */
export const BookView = Type.Object(
  {
    ...fields,
    citizen: Type.Union([Citizen, Type.Null()]),
    updatedAt: IsoTime('last change'),
    redacted: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);
