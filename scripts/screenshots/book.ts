// Sample reception-book entry typed into the console's form (Sổ tiếp công dân), so the screenshots
// show real Vietnamese text with its diacritics (fictitious person and address); and the evidence
// printed when a state fails.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '../../tests/helpers/browser.js';
import type { Stage } from './stage.js';

const ENTRY: Record<string, string> = {
  'officer.unit': 'Ban Tiếp công dân Trung ương',
  'citizen.fullName': 'Phạm Thị Hồng Nhung',
  'citizen.address': 'Số 12 ngõ 34 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội',
  'citizen.idNumber': '001190012345',
  'citizen.idType': 'CCCD',
  summary: 'Công dân kiến nghị về việc chậm cấp giấy chứng nhận quyền sử dụng đất cho thửa đất số 118.',
  handling: 'Chuyển đơn đến Ủy ban nhân dân phường xem xét, trả lời trong 15 ngày.',
};

/** Fills the console's book form of the joined hearing (after the form has loaded its entry). */
export async function fillBook(page: Page, officer: string) {
  await page.waitForSelector('#book-form', { state: 'visible', timeout: 20_000 });
  await page.waitForTimeout(1500); // the form's first load of the room's entry must not overwrite what is typed
  for (const [name, value] of Object.entries(ENTRY)) await page.fill(`#book-form [name="${name}"]`, value);
  await page.selectOption('#book-form [name="classification"]', 'petition');
  await page.fill('#book-form [name="officer.name"]', officer);
}

/** On failure: what every page showed, its page errors and the gateway's state, for the report. */
export async function failureEvidence(stage: Stage) {
  const dir = mkdtempSync(join(tmpdir(), 'screenshots-failure-'));
  for (const s of stage.screens) {
    for (const kind of ['kiosk', 'console'] as const) {
      const page = s[kind];
      await page.screenshot({ path: join(dir, `${kind}-${s.size.width}x${s.size.height}.png`) }).catch(() => {});
      const errors = (page as Page & { errors?: string[] }).errors ?? [];
      if (errors.length) console.error(`${kind} ${s.size.width}x${s.size.height} page errors: ${errors.slice(-5).join(' | ')}`);
    }
  }
  const gw = await stage.room.gatewayState().catch((e: Error) => e.message);
  console.error(`gateway state: ${JSON.stringify(gw).slice(0, 800)}`);
  console.error(`failure screenshots in ${dir}; logs in ${stage.room.dir} and ${stage.hub.stateDir}`);
}
