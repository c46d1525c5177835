import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRequest, parseSoap } from './envelope.js';
import { checkUsernameToken, passwordDigest, readUsernameToken } from './ws-security.js';

/** A recorded file of fixtures/ (provenance in fixtures/README.md). */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('WS-Security UsernameToken', () => {
  it("matches the ONVIF Application Programmer's Guide vector", () => {
    expect(passwordDigest('LKqI6G/AikKCQrN0zqZFlg==', '2010-09-16T07:50:45Z', 'userpassword')).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });

  it('accepts the wsse-prefixed vector at its Created time, rejects it later or with another password', () => {
    const tok = readUsernameToken(parseSoap(fixture('wsse-prefixed-get-status.xml')).header);
    const created = Date.parse('2010-09-16T07:50:45Z');
    expect(checkUsernameToken(tok, { username: 'user', password: 'userpassword' }, created)).toEqual({ ok: true });
    expect(checkUsernameToken(tok, { username: 'user', password: 'nope' }, created).ok).toBe(false);
    expect(checkUsernameToken(tok, { username: 'user', password: 'userpassword' }, created + 10 * 60_000).ok).toBe(false);
    expect(checkUsernameToken(tok, { username: 'other', password: 'userpassword' }, created).ok).toBe(false);
  });

  it('verifies a digest node-onvif produced (default-namespace Security header)', () => {
    const tok = readUsernameToken(parseSoap(fixture('node-onvif-continuous-move.xml')).header)!;
    expect(tok).toMatchObject({ username: 'admin', digest: true });
    expect(checkUsernameToken(tok, { username: 'admin', password: 'pw' }, Date.parse(tok.created))).toEqual({ ok: true });
  });

  it("builds the guide's token byte for byte from its nonce and time", () => {
    const nonce = Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64');
    const xml = buildRequest('<tptz:GetStatus/>', { username: 'user', password: 'userpassword', nonce, created: '2010-09-16T07:50:45Z' });
    expect(xml).toContain('>tuOSpGlFlIXsozq4HFNeeGeFLEI=</wsse:Password>');
    const tok = readUsernameToken(parseSoap(xml).header);
    expect(tok).toEqual({
      username: 'user',
      password: 'tuOSpGlFlIXsozq4HFNeeGeFLEI=',
      digest: true,
      nonce: 'LKqI6G/AikKCQrN0zqZFlg==',
      created: '2010-09-16T07:50:45Z',
    });
  });

  it('escapes the user name; accepts PasswordText and treats a missing Type as text', () => {
    const now = Date.now();
    const xml = buildRequest('<tds:GetDeviceInformation/>', {
      username: 'a&<b',
      password: 'p w',
      nonce: Buffer.alloc(16),
      created: new Date(now).toISOString(),
      plain: true,
    });
    const tok = readUsernameToken(parseSoap(xml).header);
    expect(checkUsernameToken(tok, { username: 'a&<b', password: 'p w' }, now)).toEqual({ ok: true });
    const untyped = xml.replace(/ Type="[^"]*"/, '');
    expect(readUsernameToken(parseSoap(untyped).header)?.digest).toBe(false);
    expect(checkUsernameToken(undefined, { username: 'a', password: 'p w' }, now).ok).toBe(false);
  });
});
