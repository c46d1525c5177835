import type { SdpFrag } from './sdp-frag.js';

// Pure helpers for an ICE restart by PATCH (RFC 9725 §4.4.1): the client sends its new ICE credentials and
// candidates as a trickle-ice-sdpfrag; the hub applies them as a re-offer of the session's offer (same media,
// new ICE) and answers with its own new credentials and candidates as a fragment.

const eolOf = (sdp: string) => (sdp.includes('\r\n') ? '\r\n' : '\n');

/** The session's offer with the fragment's ICE credentials, and its candidates in place of the old ones. */
export function restartedOffer(offer: string, frag: SdpFrag): string {
  const eol = eolOf(offer);
  const sections = offer.split(/(?=^m=)/m);
  const firstMid = /^a=mid:(\S+)/m.exec(sections[1] ?? '')?.[1];
  return sections
    .map((section, i) => {
      const lines = section.split(/\r?\n/).filter((l) => !/^a=(candidate:|end-of-candidates)/.test(l));
      const out = lines.map((l) =>
        l.startsWith('a=ice-ufrag:') ? `a=ice-ufrag:${frag.ufrag}` : l.startsWith('a=ice-pwd:') ? `a=ice-pwd:${frag.pwd}` : l,
      );
      if (i === 0) return out.join(eol);
      const mid = /^a=mid:(\S+)/m.exec(section)?.[1];
      const mine = frag.candidates.filter((c) => (c.mid ?? firstMid) === mid).map((c) => `a=${c.candidate}`);
      const tail = out.at(-1) === '' ? out.pop() : undefined; // keep the section's closing line break
      return [...out, ...mine, ...(tail === undefined ? [] : [tail])].join(eol);
    })
    .join('');
}

/** The hub's new ICE credentials and candidates (of its answer's first m= section, the bundle's) as a fragment. */
export function answerFrag(answer: string): string {
  const section = answer.split(/(?=^m=)/m)[1] ?? '';
  const pick = (re: RegExp) => re.exec(answer)?.[1];
  const lines = [
    `a=ice-ufrag:${pick(/^a=ice-ufrag:(\S+)/m)}`,
    `a=ice-pwd:${pick(/^a=ice-pwd:(\S+)/m)}`,
    section.split(/\r?\n/)[0]!,
    `a=mid:${/^a=mid:(\S+)/m.exec(section)?.[1]}`,
    ...section.split(/\r?\n/).filter((l) => l.startsWith('a=candidate:')),
    'a=end-of-candidates',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
