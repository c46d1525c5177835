import { describe, expect, it } from 'vitest';
import { HubConfigError, validateHubConfig } from '../config/load-config.js';

const oidc = (o: Record<string, unknown>) => ({ oidc: { enabled: true, clientId: 'hub', ...o } });
const problemsOf = (raw: unknown) => {
  try {
    validateHubConfig(raw);
    return [];
  } catch (err) {
    if (!(err instanceof HubConfigError)) throw err;
    return err.problems;
  }
};

describe('hub config oidc', () => {
  it('is off by default and then not checked', () => {
    expect(validateHubConfig({}).oidc).toMatchObject({ enabled: false, rolesClaim: 'roles', roleMap: {}, scopes: 'openid profile' });
    expect(problemsOf({ oidc: { issuer: 'http://sso.example.gov.vn' } })).toEqual([]);
  });
  it('enabled: an https issuer, a client id and a callback URL are required, naming the key', () => {
    expect(problemsOf({ publicUrl: 'https://hub.example', ...oidc({ issuer: 'http://sso.example.gov.vn' }) })[0]).toMatchObject({
      path: '/oidc/issuer',
      message: expect.stringContaining('must be https'),
    });
    expect(problemsOf({ publicUrl: 'https://hub.example', ...oidc({ issuer: 'https://sso.example.gov.vn', clientId: '' }) })[0]?.path).toBe(
      '/oidc/clientId',
    );
    expect(problemsOf(oidc({ issuer: 'https://sso.example.gov.vn' }))[0]?.path).toBe('/oidc/redirectUri'); // no publicUrl to derive it from
    expect(problemsOf({ publicUrl: 'https://hub.example', ...oidc({ issuer: 'https://sso.example.gov.vn' }) })).toEqual([]);
    expect(problemsOf({ oidc: { enabled: true, roleMap: { x: ['admin'] } } })[0]?.path).toBe('/oidc/roleMap/x/0');
  });
});
