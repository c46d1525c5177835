import { describe, expect, it } from 'vitest';
import { validateHubConfig } from '../config/load-config.js';
import { originProblem } from './cors.js';

// `allowedOrigins` (WHIP/WHEP CORS, the Origin check): a value a browser can send, or the config is refused naming it.

describe('allowedOrigins', () => {
  it('accepts scheme://host[:port]; names what is wrong otherwise', () => {
    expect(originProblem('https://console.province.example')).toBeNull();
    expect(originProblem('http://10.0.0.5:8080')).toBeNull();
    expect(originProblem('https://a b')).toMatch(/not a URL/);
    expect(originProblem('https://u:p@x.example')).toMatch(/no user or password/);
    expect(originProblem('https://x.example?q')).toMatch(/no path, query or fragment/);
    expect(originProblem('ftp://x.example')).toMatch(/only http and https/);
  });

  it('a hub config with a malformed origin is refused at load, the field named (a URL the pattern lets through too)', () => {
    for (const bad of ['https://a b', 'https://u:p@x.example', '*', 'https://x.example/'])
      expect(() => validateHubConfig({ allowedOrigins: ['https://ok.example', bad] }), bad).toThrow(/\/allowedOrigins\/1/);
    expect(validateHubConfig({ allowedOrigins: ['https://ok.example:8443'] }).allowedOrigins).toEqual(['https://ok.example:8443']);
  });
});
