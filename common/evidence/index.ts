// Evidence format library (docs/EVIDENCE.md): pure functions, no fs, no network.
export { canonicalJson, sha256Hex } from './canonical.js';
export {
  generateApplianceKey,
  keyFingerprint,
  publicKeyPemFromRaw,
  publicKeyRawFromAnyPem,
  publicKeyRawFromPem,
  signHash,
  verifyHashSig,
  verifyBytes,
  type ApplianceKey,
} from './keys.js';
export { sealEntry, serializeEntry, parseManifest, type EntryDraft, type EntryBody, type ParseError } from './manifest.js';
export type { GapReason, EntryKind, ManifestEntry, OpenEntry, SegmentEntry, GapEntry, BookEntry, CloseEntry } from './entry-schema.js';
export { verifyChain, type VerifyOptions, type ChainReport } from './verify-chain.js';
export { signReceipt, verifyReceipt, type Receipt, type ReceiptFields } from './receipt.js';
export { parseReceipts, receiptCovering, type ReceiptCover, type ReceiptRefusal, type ReceiptWant } from './receipt-cover.js';
export {
  BookInput,
  BookRecord,
  BookView,
  Citizen,
  CLASSIFICATIONS,
  HEARING_ID_PATTERN,
  type Classification,
  type StoredBook,
  type RedactedBook,
} from './book-schema.js';
export { sealBook, openBook, serializeBook, BookKeyError } from './book.js';
export type { ManifestWriter } from './manifest-writer.js';
export { keyCheckTimes, keyWindowAt, notEnrolledText, type KeyVerdict, type KeyWindow } from './key-binding.js';
export {
  RegistryExport,
  exportKeyValidAt,
  signRegistryExport,
  verifyRegistryExport,
  type ExportableRoom,
  type RegistryExportKey,
  type RegistryExportRoom,
} from './registry-export.js';
