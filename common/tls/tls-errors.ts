// What went wrong in a TLS handshake with the hub, in words for a room's log and the technician: fetch
// wraps the cause (`TypeError: fetch failed`, `cause.code`), ws and tls.connect throw it directly.

const CERT_PROBLEMS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the hub's certificate is not signed by a trusted CA (wrong hub, or enroll again)",
  UNABLE_TO_GET_ISSUER_CERT: "the hub's certificate is not signed by a trusted CA (wrong hub, or enroll again)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the hub's certificate is not signed by a trusted CA (wrong hub, or enroll again)",
  SELF_SIGNED_CERT_IN_CHAIN: "the hub's certificate chain ends in a CA this room does not trust (wrong hub, or enroll again)",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the hub presents a self-signed certificate this room does not trust',
  CERT_HAS_EXPIRED: "the hub's certificate has expired",
  CERT_NOT_YET_VALID: "the hub's certificate is not valid yet (check the clocks)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the hub's certificate does not name the host in the URL (tls.hostnames at the hub)",
  CERT_SIGNATURE_FAILURE: "the hub's certificate signature is invalid",
};

/** The TLS error code carried by `err` or its causes, if any. */
export function tlsErrorCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in CERT_PROBLEMS) return code;
  }
  return undefined;
}

/** A sentence for a certificate failure (`code` kept in brackets), or undefined for other errors. */
export function describeTlsError(err: unknown): string | undefined {
  const code = tlsErrorCode(err);
  return code ? `${CERT_PROBLEMS[code]} [${code}]` : undefined;
}
