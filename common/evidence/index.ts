// Evidence format library (docs/EVIDENCE.md): pure functions, no fs, no network.
export { canonicalJson, sha256Hex } from './canonical.js';
export { generateApplianceKey, publicKeyRawFromPem, publicKeyFromRaw, signHash, verifyHashSig, verifyBytes, type ApplianceKey } from './keys.js';
export { GENESIS_PREV, entryHash, sealEntry, serializeEntry, parseManifest, type EntryDraft, type EntryBody, type ParseError } from './manifest.js';
export {
  GAP_REASONS, type GapReason, type EntryKind,
  type ManifestEntry, type OpenEntry, type SegmentEntry, type GapEntry, type BookEntry, type CloseEntry,
} from './entry-schema.js';
export { verifyChain, type VerifyOptions, type ChainReport } from './verify-chain.js';
export { signReceipt, verifyReceipt, type Receipt, type ReceiptFields } from './receipt.js';
export { parseReceipts, receiptCovering, RECEIPT_REFUSALS, type ReceiptCover, type ReceiptRefusal, type ReceiptWant } from './receipt-cover.js';
export { BookInput, BookRecord, BookView, Citizen, SealedIdentity, CLASSIFICATIONS, HEARING_ID_PATTERN, type Classification, type StoredBook, type RedactedBook } from './book-schema.js';
export { sealBook, openBook, isSealed, serializeBook, BookKeyError } from './book.js';
export type { ManifestWriter } from './manifest-writer.js';
