// A minimal ONVIF request builder (WS-Security PasswordDigest header + body), used by the tests and
// handy for probing the sim by hand. Pure: nonce and time are passed in.
import { passwordDigest } from './ws-security.js';
import { NS } from './soap-xml.js';

export interface SignOptions {
  username: string;
  password: string;
  nonce: Buffer;
  created: string;
  /** PasswordText instead of PasswordDigest. */
  plain?: boolean;
}

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const PROFILE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0';

export function buildRequest(body: string, sign?: SignOptions): string {
  let header = '';
  if (sign) {
    const nonce = sign.nonce.toString('base64');
    const pw = sign.plain ? sign.password : passwordDigest(nonce, sign.created, sign.password);
    header =
      `<wsse:Security xmlns:wsse="${WSSE}" xmlns:wsu="${WSU}"><wsse:UsernameToken><wsse:Username>${sign.username}</wsse:Username>` +
      `<wsse:Password Type="${PROFILE}#${sign.plain ? 'PasswordText' : 'PasswordDigest'}">${pw}</wsse:Password>` +
      `<wsse:Nonce>${nonce}</wsse:Nonce><wsu:Created>${sign.created}</wsu:Created></wsse:UsernameToken></wsse:Security>`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${NS.env}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" ` +
    `xmlns:tptz="${NS.tptz}" xmlns:tt="${NS.tt}"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`
  );
}
