/**
 * Line noise for the `garbage` fault: high bytes and punctuation that can never start a valid TTP
 * line (`+OK`, `-ERR`, `!`, the banner), ending in CR LF so the receiver's line splitter moves on.
 */
export function garbageBytes(random: () => number = Math.random): Buffer {
  const n = 4 + Math.floor(random() * 40);
  const bytes = Array.from({ length: n }, () =>
    random() < 0.5 ? 0x80 + Math.floor(random() * 0x7f) : '#%&*?~^'.charCodeAt(Math.floor(random() * 7)),
  );
  return Buffer.from([...bytes, 0x0d, 0x0a]);
}
