import { generateApplianceKey, parseManifest, sealEntry, serializeEntry, type ApplianceKey, type ManifestEntry } from '../index.js';

// The forgery of issue 10: drop a segment from a signed manifest, cover its time with a plausible gap
// ("the recorder restarted"), and re-sign the whole chain with a freshly generated key. The result is a
// chain that verifies by itself; only the room's enrolled key (the registry) tells it apart.

export function resignWithout(manifestText: string, dropFile: string, key: ApplianceKey = generateApplianceKey()) {
  const { entries, errors } = parseManifest(manifestText);
  if (errors.length > 0) throw new Error(`resignWithout: ${errors[0]!.message}`);
  const out: ManifestEntry[] = [];
  for (const e of entries) {
    const { v: _v, seq: _s, prev: _p, hash: _h, sig: _g, ...draft } = e;
    let d = draft as Record<string, unknown>;
    if (e.kind === 'open') d = { ...d, publicKey: key.publicKeyRaw.toString('base64') };
    if (e.kind === 'segment' && e.file === dropFile)
      d = { kind: 'gap', hearing: e.hearing, at: e.at, start: e.start, end: e.end, reason: 'worker-restart' };
    out.push(sealEntry(d as Parameters<typeof sealEntry>[0], out.at(-1) ?? null, key.privateKeyPem));
  }
  return { text: out.map(serializeEntry).join(''), key };
}
