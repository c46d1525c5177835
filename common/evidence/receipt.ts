import { sign } from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { Receipt } from '../contracts/archive.js';
import { publicKeyRawFromPem, verifyBytes } from './keys.js';

// Hub → room receipt for one accepted file (docs/EVIDENCE.md "Receipt"; its shape is the archive
// contract's, common/contracts/archive.ts). The room deletes nothing without one, so a forged receipt
// would destroy evidence: verify against the hub's known key.

export type { Receipt };
export type ReceiptFields = Omit<Receipt, 'v' | 'hubKey' | 'sig'>;

export function signReceipt(fields: ReceiptFields, hubPrivateKeyPem: string): Receipt {
  const { hearing, file, sha256, bytes, receivedAt } = fields; // copy only the contract's fields
  const body = {
    v: 1 as const,
    hearing,
    file,
    sha256,
    bytes,
    receivedAt,
    hubKey: publicKeyRawFromPem(hubPrivateKeyPem).toString('base64'),
  };
  return { ...body, sig: sign(null, Buffer.from(canonicalJson(body), 'utf8'), hubPrivateKeyPem).toString('base64') };
}

/**
 * True when the signature verifies. With `hubPublicKeyRaw` (the room should always pass the hub key
 * it trusts) the receipt must also name that key; without it only self-consistency is checked.
 */
export function verifyReceipt(receipt: Receipt, hubPublicKeyRaw?: Buffer): boolean {
  if (
    typeof receipt !== 'object' ||
    receipt === null ||
    receipt.v !== 1 ||
    typeof receipt.sig !== 'string' ||
    typeof receipt.hubKey !== 'string'
  )
    return false;
  const named = Buffer.from(receipt.hubKey, 'base64');
  if (hubPublicKeyRaw && !hubPublicKeyRaw.equals(named)) return false;
  const { sig, ...body } = receipt;
  try {
    return verifyBytes(Buffer.from(canonicalJson(body), 'utf8'), sig, hubPublicKeyRaw ?? named);
  } catch {
    return false; // canonicalJson throws on junk values
  }
}
