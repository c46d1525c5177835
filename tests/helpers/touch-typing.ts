import type { Page } from 'playwright-core';

// Types text on the kiosk's on-screen keyboard the way an officer would: a letter key (⇧ first for
// capitals), and for a toned vowel its letter key then the tone key.

const TONE_OF: Record<string, string> = { '\u0301': 'sac', '\u0300': 'huyen', '\u0309': 'hoi', '\u0303': 'nga', '\u0323': 'nang' };

export async function tapText(page: Page, text: string): Promise<void> {
  for (const ch of text) {
    const marks = [...ch.normalize('NFD')];
    const tone = marks.map((m) => TONE_OF[m]).find(Boolean);
    const letter = marks
      .filter((m) => !TONE_OF[m])
      .join('')
      .normalize('NFC');
    const lower = letter.toLowerCase();
    if (letter !== lower) await page.click('#osk [data-action="shift"]');
    await page.click(`#osk [data-char="${lower}"]`);
    if (tone) await page.click(`#osk [data-tone="${tone}"]`);
  }
}
