// Technician-side ONVIF camera discovery (`reception discover`).
export { discoverCameras, type DiscoverOptions, type DiscoveredCamera } from './discover-cameras.js';
