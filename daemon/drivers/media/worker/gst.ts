import { createRequire } from 'node:module';
import type { Pipeline } from 'gstreamer-superficial';

// The binding's package "main" has no extension (a .node addon), which ESM import cannot load:
// require it. Only worker files import this, so GStreamer never loads into the daemon.
const require = createRequire(import.meta.url);
export const gst = require('gstreamer-superficial') as { Pipeline: typeof Pipeline };
export type { Pipeline };
