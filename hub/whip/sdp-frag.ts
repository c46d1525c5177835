// Pure helpers for RFC 8840 "application/trickle-ice-sdpfrag" bodies (WHIP/WHEP PATCH).

export interface SdpFrag {
  ufrag?: string;
  pwd?: string;
  candidates: { mid: string | undefined; candidate: string }[];
}

export function parseSdpFrag(body: string): SdpFrag {
  const out: SdpFrag = { candidates: [] };
  let mid: string | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('a=ice-ufrag:')) out.ufrag = line.slice(12);
    else if (line.startsWith('a=ice-pwd:')) out.pwd = line.slice(10);
    else if (line.startsWith('a=mid:')) mid = line.slice(6);
    else if (line.startsWith('a=candidate:')) out.candidates.push({ mid, candidate: line.slice(2) });
  }
  return out;
}

/** The ice-ufrag of an SDP's first media section (the session's, with BUNDLE). */
export function iceUfragOf(sdp: string): string | undefined {
  return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
}
