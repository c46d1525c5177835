import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configDocument } from './config-docs.js';

describe('docs/CONFIG.md', () => {
  it('is what `reception config docs` generates from the schemas (regenerate: reception config docs > docs/CONFIG.md)', () => {
    const doc = configDocument();
    expect(readFileSync(new URL('../../docs/CONFIG.md', import.meta.url), 'utf8')).toBe(doc);
    expect(doc).toContain('| `api.port` | integer | `8080` | `RECEPTION_API_PORT` | daemon API port |');
    expect(doc).toContain('| `stateDir` | string | `"var/hub"` | `RECEPTION_HUB_STATE_DIR` |');
  });
});
