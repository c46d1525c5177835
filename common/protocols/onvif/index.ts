// ONVIF (SOAP 1.2 device/media/PTZ services, WS-Security, WS-Discovery) as pure functions: no I/O.
export * from './namespaces.js';
export * from './xml-escape.js';
export * from './xml-tree.js';
export * from './envelope.js';
export * from './fault.js';
export * from './ws-security.js';
export * from './ws-discovery.js';
export * from './ws-discovery-device.js';
export * from './ptz-read.js';
export * from './ptz-xml.js';
export * from './duration.js';
export * from './ptz-spaces-read.js';
