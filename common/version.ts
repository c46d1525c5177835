import { readFileSync } from 'node:fs';

// Read once from package.json so logs, health and OpenAPI agree on the version.
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next location: sources run from common/, compiled code from dist/common/
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
