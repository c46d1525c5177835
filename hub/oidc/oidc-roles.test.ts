import { describe, expect, it } from 'vitest';
import { nameFrom, rolesFrom } from './oidc-roles.js';

describe('roles from the provider', () => {
  it('maps provider roles through roleMap, ignoring the rest', () => {
    const cfg = {
      rolesClaim: 'roles',
      roleMap: { 'tcd-can-bo': ['officer' as const], 'tcd-lanh-dao': ['supervisor' as const, 'officer' as const] },
    };
    expect(rolesFrom({ roles: ['tcd-can-bo', 'other'] }, cfg)).toEqual(['officer']);
    expect(rolesFrom({ roles: ['tcd-lanh-dao'] }, cfg)).toEqual(['officer', 'supervisor']);
    expect(rolesFrom({ roles: ['officer'] }, cfg)).toEqual([]); // with a map, only mapped names count
    expect(rolesFrom({ roles: ['__proto__', 'constructor'] }, cfg)).toEqual([]);
  });
  it('without a map, same-named roles; a dotted path; a space-separated string', () => {
    const cfg = { rolesClaim: 'realm_access.roles', roleMap: {} };
    expect(rolesFrom({ realm_access: { roles: ['archivist', 'admin'] } }, cfg)).toEqual(['archivist']);
    expect(rolesFrom({ realm_access: { roles: 'monitor technician' } }, cfg)).toEqual(['technician', 'monitor']);
    expect(rolesFrom({}, cfg)).toEqual([]);
  });
  it('names the person by nameClaim, then name, then sub', () => {
    expect(nameFrom({ preferred_username: 'lan.nt', name: 'Nguyễn Thị Lan', sub: '1' }, 'preferred_username')).toBe('lan.nt');
    expect(nameFrom({ name: 'Nguyễn Thị Lan', sub: '1' }, 'preferred_username')).toBe('Nguyễn Thị Lan');
    expect(nameFrom({ sub: 'abc' }, 'preferred_username')).toBe('abc');
  });
});
