// Namespace URIs and media types of ONVIF's SOAP 1.2 services, WS-Security and WS-Discovery.

/** Prefixes as ONVIF's WSDLs and most vendors write them. */
export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  xsd: 'http://www.w3.org/2001/XMLSchema',
} as const;

/** SOAP 1.2 over HTTP (RFC 3902). */
export const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

/** OASIS WS-Security 1.0 and its UsernameToken Profile 1.0. */
export const WSSE = {
  secext: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  utility: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  passwordDigest: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest',
  passwordText: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText',
  base64Binary: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary',
} as const;

/** WS-Discovery 2005/04 (the version ONVIF Core mandates) and the WS-Addressing 2004/08 it uses. */
export const WSD = {
  discovery: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  network: 'http://www.onvif.org/ver10/network/wsdl',
  /** wsa:To of a multicast Probe. */
  to: 'urn:schemas-xmlsoap-org:ws:2005:04:discovery',
  /** wsa:To of a unicast reply. */
  anonymous: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous',
} as const;

/** The multicast group and port of WS-Discovery (SOAP-over-UDP). */
export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;
