// Technician-side ONVIF camera discovery (`reception discover`).
export { discoverCameras, WS_DISCOVERY_MULTICAST, type DiscoverOptions, type DiscoveredCamera } from './discover-cameras.js';
