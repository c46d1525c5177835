// Technician-side ONVIF camera discovery (`reception discover`).
export { discoverCameras, WS_DISCOVERY_MULTICAST, type DiscoverOptions, type DiscoveredCamera } from './discover-cameras.js';
export { buildProbe, parseProbeMatches, scopeValue, PROBE_TYPES, type ProbeMatch } from './ws-discovery.js';
