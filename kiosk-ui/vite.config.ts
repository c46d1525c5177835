import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The room's kiosk page, served by the daemon at /kiosk/ (daemon/modules/api/routes/kiosk.ts reads dist/).
// Build: `npx vite build --config kiosk-ui/vite.config.ts`. No CDN, no web fonts: the box is offline.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/kiosk/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npx vite --config kiosk-ui/vite.config.ts` against a running daemon.
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } },
  },
});
