// Pure SDP helpers, no I/O.
//
// werift answers with every remote codec whose MIME type it knows, whatever its fmtp. A browser
// offers several H.264 variants (high profile, packetization-mode 0, ...); keep only the ones every
// receiver can decode — packetization-mode=1 baseline / constrained-baseline — so the publisher
// picks one of those. Other codecs' lines are left alone (werift drops what it does not know).

const isBaselinePm1 = (fmtp: string) => /packetization-mode=1/.test(fmtp) && /profile-level-id=42/i.test(fmtp);

export function keepBaselineH264(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const sections = sdp.split(/(?=^m=)/m);
  return sections
    .map((section) => {
      if (!section.startsWith('m=video')) return section;
      const lines = section.split(/\r?\n/);
      const h264 = new Set<string>();
      const fmtp = new Map<string, string>();
      for (const l of lines) {
        const rtpmap = /^a=rtpmap:(\d+) H264\//i.exec(l);
        if (rtpmap) h264.add(rtpmap[1]!);
        const f = /^a=fmtp:(\d+) (.*)$/.exec(l);
        if (f) fmtp.set(f[1]!, f[2]!);
      }
      const drop = new Set([...h264].filter((pt) => !isBaselinePm1(fmtp.get(pt) ?? '')));
      // RTX streams that repair a dropped payload type go too.
      for (const [pt, f] of fmtp) if (/apt=(\d+)/.test(f) && drop.has(/apt=(\d+)/.exec(f)![1]!)) drop.add(pt);
      // Nothing to drop, or nothing decodable left: leave the section to werift.
      if (drop.size === 0 || [...h264].every((pt) => drop.has(pt))) return section;
      return lines
        .map((l, i) => {
          if (i === 0) {
            const parts = l.split(' ');
            return [...parts.slice(0, 3), ...parts.slice(3).filter((pt) => !drop.has(pt))].join(' ');
          }
          const m = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)[ ]/.exec(l);
          return m && drop.has(m[1]!) ? null : l;
        })
        .filter((l): l is string => l !== null)
        .join(eol);
    })
    .join('');
}

/** Why an SDP cannot be a WebRTC description (werift accepts almost anything), or null when it looks fine. */
export function sdpProblem(sdp: string): string | null {
  if (!/^v=0\r?$/m.test(sdp.split('\n')[0] ?? '')) return 'SDP must start with "v=0"';
  if (!/^m=(audio|video) /m.test(sdp)) return 'SDP has no audio or video m= section';
  if (!/^a=ice-ufrag:/m.test(sdp) || !/^a=ice-pwd:/m.test(sdp)) return 'SDP has no ICE credentials (a=ice-ufrag / a=ice-pwd)';
  if (!/^a=fingerprint:/m.test(sdp)) return 'SDP has no DTLS fingerprint (a=fingerprint)';
  return null;
}

/**
 * RFC 8843 (BUNDLE, `a=bundle-only`): a max-bundle offerer (GStreamer webrtcbin, …) writes every section but the first of a
 * BUNDLE group as `m=<kind> 0 … a=bundle-only`; the answerer treats it as accepted, on the bundle's
 * transport. werift reads port 0 as "rejected" (answer port 0, `a=inactive`, every packet dropped), so
 * such a section gets the discard port 9 before werift sees it. A port 0 without `a=bundle-only`, or
 * outside every BUNDLE group, is a real rejection and stays.
 */
export function acceptBundleOnly(sdp: string): string {
  const bundled = new Set(
    [...sdp.matchAll(/^a=group:BUNDLE((?: [^\s]+)*)\s*$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).filter(Boolean)),
  );
  return sdp
    .split(/(?=^m=)/m)
    .map((section) => {
      const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
      if (!/^m=\S+ 0 /.test(section) || !/^a=bundle-only\r?$/m.test(section) || !mid || !bundled.has(mid)) return section;
      return section.replace(/^(m=\S+) 0 /, '$1 9 ');
    })
    .join('');
}
