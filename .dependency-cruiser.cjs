// Boundaries between the parts (ARCHITECTURE.md "Contracts"): `npm run check:boundaries`.
// A message that crosses a process boundary has one definition in common/contracts/; no side imports
// the other side's internals. Tests may wire real parts together (a daemon module against a real hub):
// the rules below are about production code.

/** Test code: the tests/ tree, *.test.ts files and test/ folders anywhere. */
const TEST = '(^tests/|\\.test\\.ts$|(^|/)test/)';
/** What ships: every source folder of a role or of common/, minus its tests. */
const PRODUCTION = '^(common|daemon|gateway|hub|kiosk-ui|provisioning|simulators)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'daemon-not-to-hub',
      comment: 'The room does not import the hub: what they exchange is in common/contracts/.',
      severity: 'error',
      from: { path: '^daemon/', pathNot: TEST },
      to: { path: '^hub/' },
    },
    {
      name: 'hub-not-to-daemon',
      comment: 'The hub does not import the room: what they exchange is in common/contracts/.',
      severity: 'error',
      from: { path: '^hub/', pathNot: TEST },
      to: { path: '^daemon/' },
    },
    {
      name: 'gateway-only-common',
      comment: 'The gateway process imports its own files and common/ only (its /state is common/contracts/gateway-state.ts).',
      severity: 'error',
      from: { path: '^gateway/', pathNot: TEST },
      to: { path: '^(daemon|hub|provisioning|simulators|kiosk-ui)/' },
    },
    {
      name: 'common-not-to-roles',
      comment: 'common/ is shared by every role and depends on none of them.',
      severity: 'error',
      from: { path: '^common/', pathNot: TEST },
      to: { path: '^(daemon|hub|gateway|provisioning|simulators|kiosk-ui)/' },
    },
    {
      name: 'production-not-to-tests',
      comment: 'Shipped code never imports tests, test helpers or fixtures.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: TEST },
      to: { path: TEST },
    },
    {
      name: 'production-not-to-chaos',
      comment: 'The chaos runner (chaos/, npm run chaos) drives the product from outside; shipped code never imports it.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: TEST },
      to: { path: '^chaos/' },
    },
    {
      name: 'kiosk-only-common',
      comment: 'The kiosk page (a browser bundle) imports its own files and common/ only.',
      severity: 'error',
      from: { path: '^kiosk-ui/' },
      to: { path: '^(daemon|hub|gateway|provisioning|simulators|bench|scripts|tests)/' },
    },
    {
      name: 'kiosk-contracts-types-only',
      comment: "The kiosk takes the daemon's replies as types (`import type`, erased by vite): no schema code in the page.",
      severity: 'error',
      from: { path: '^kiosk-ui/' },
      to: { path: '^common/contracts/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'kiosk-common-runtime',
      comment: 'Code of common/ the page runs must be browser-safe: only common/supervise (Node-free) so far.',
      severity: 'error',
      from: { path: '^kiosk-ui/' },
      to: { path: '^common/', pathNot: '^common/(contracts|supervise)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    // TypeScript with the repo's tsconfig: `./x.js` resolves to `./x.ts`; `import type` is kept (type-only).
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts', '.node'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
