// ISO 8601 durations as ONVIF uses them (xs:duration, e.g. Timeout PT5S, PT0.5S, PT1M30S, P1DT2H).
// Years and months have no fixed length; cameras never send them, so they are rejected.

const RE = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds, or undefined when the text is not a day/time duration. */
export function parseDuration(s: string): number | undefined {
  const t = s.trim();
  const m = RE.exec(t);
  // "P" and "PT" alone match the pattern but are not valid durations.
  if (!m || t === 'P' || t.endsWith('T')) return undefined;
  const [d, h, min, sec] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round((((d * 24 + h) * 60 + min) * 60 + sec) * 1000);
}

export function formatDuration(ms: number): string {
  return `PT${Math.round(ms) / 1000}S`;
}
