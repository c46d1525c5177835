import { schemaReference, envList } from '../../common/config/schema-reference.js';
import { ConfigSchema } from '../../daemon/config/schema.js';
import { HubConfigSchema } from '../../hub/config/schema.js';

/** docs/CONFIG.md, whole: `reception config docs > docs/CONFIG.md` (a test checks the file is current). */
export function configDocument(): string {
  return `# Configuration reference

Generated from the schemas by \`reception config docs > docs/CONFIG.md\` — regenerate after changing
\`daemon/config/schema.ts\`, \`common/config/room-config.ts\` or \`hub/config/schema.ts\` (a test fails until you do).
Every field has a default; unknown keys are refused. A field with an env variable can be set from it
(\`common/config/env-overrides.ts\`: the loaders apply it, then validate), e.g. in a systemd unit or a test.

## Room (\`reception daemon\`, \`reception gateway\`: one file per room, \`--config FILE\` or \`RECEPTION_CONFIG\`)

The gateway reads only \`room\`, \`api\`, \`gateway\` and the \`media\` RTP ports. Env overrides: ${envList(ConfigSchema)}.

${schemaReference(ConfigSchema)}

## Hub (\`reception hub --config FILE\`)

Env overrides: ${envList(HubConfigSchema)}; \`--port\` wins over both.

${schemaReference(HubConfigSchema)}
`;
}
