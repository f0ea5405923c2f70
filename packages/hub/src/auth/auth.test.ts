import { describe, expect, it } from 'vitest';
import { FerryForbiddenError, FerryInputError } from '@ferry/core';
import type { Grant, GrantResource, Principal } from '../contracts.js';
import { GRANT_RESOURCES } from '../contracts.js';
import { hasRoles } from './has-roles.js';
import { requireGrant } from './require-grant.js';
import { parseRolesDocument } from './roles-document.js';

function principal(grants: Grant[], roles: string[] = []): Principal {
  return { subject: 'user:1', kind: 'user', name: 'alice@example.com', tenant: 'default', roles, grants, expiresAt: Date.now() + 60_000 };
}
const grant = (resource: GrantResource, permission: 'full' | 'read'): Grant => ({ type: 'api', resource, permission });

function allowed(p: Principal, resource: GrantResource, access: 'read' | 'write'): boolean {
  try {
    requireGrant(p, resource, access);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(FerryForbiddenError);
    return false;
  }
}

describe('requireGrant', () => {
  it('organization full allows every resource, reads and writes', () => {
    const admin = principal([grant('organization', 'full')]);
    for (const resource of GRANT_RESOURCES) {
      expect(allowed(admin, resource, 'read')).toBe(true);
      expect(allowed(admin, resource, 'write')).toBe(true);
    }
  });

  it('tenant full allows everything inside the tenant but not the organization', () => {
    const tenantAdmin = principal([grant('tenant', 'full')]);
    for (const resource of GRANT_RESOURCES.filter((r) => r !== 'organization')) expect(allowed(tenantAdmin, resource, 'write')).toBe(true);
    expect(allowed(tenantAdmin, 'organization', 'read')).toBe(false);
  });

  it('a named resource with full reads and writes only that resource', () => {
    const deployer = principal([grant('deployment', 'full')]);
    expect(allowed(deployer, 'deployment', 'write')).toBe(true);
    expect(allowed(deployer, 'deployment', 'read')).toBe(true);
    expect(allowed(deployer, 'secret', 'read')).toBe(false);
    expect(allowed(deployer, 'tenant', 'read')).toBe(false);
  });

  it('read permission only reads', () => {
    const viewer = principal([grant('deployment', 'read'), grant('tenant', 'read')]);
    expect(allowed(viewer, 'deployment', 'read')).toBe(true);
    expect(allowed(viewer, 'secret', 'read')).toBe(true);
    expect(allowed(viewer, 'deployment', 'write')).toBe(false);
  });

  it('names the missing grant and access in a missing_grant error', () => {
    const nobody = principal([]);
    const error = (() => {
      try {
        requireGrant(nobody, 'deployment', 'write');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })() as FerryForbiddenError;
    expect(error).toBeInstanceOf(FerryForbiddenError);
    expect(error.code).toBe('missing_grant');
    expect(error.message).toContain('api/deployment (write)');
    expect(error.details).toMatchObject({ grant: 'api/deployment', access: 'write' });
  });
});

describe('hasRoles', () => {
  it('requires every listed role; an empty list requires nothing', () => {
    const p = principal([], ['release-manager', 'dev']);
    expect(hasRoles(p, ['release-manager'])).toBe(true);
    expect(hasRoles(p, ['release-manager', 'dev'])).toBe(true);
    expect(hasRoles(p, ['release-manager', 'sre'])).toBe(false);
    expect(hasRoles(p, [])).toBe(true);
    expect(hasRoles(principal([grant('organization', 'full')]), ['sre'])).toBe(false);
  });
});

describe('parseRolesDocument', () => {
  it('reads the config apply YAML format', () => {
    const roles = parseRolesDocument(`
roles:
  - name: Deployer
    tenant: main
    grants:
      - type: api
        resource: deployment
        permission: full
  - name: Viewer
    tenant: main
    grants: []
`);
    expect(roles).toEqual([
      { name: 'Deployer', tenant: 'main', grants: [{ type: 'api', resource: 'deployment', permission: 'full' }] },
      { name: 'Viewer', tenant: 'main', grants: [] },
    ]);
  });

  it('reads JSON too', () => {
    const doc = { roles: [{ name: 'Admin', tenant: 'default', grants: [{ type: 'api', resource: 'organization', permission: 'full' }] }] };
    expect(parseRolesDocument(JSON.stringify(doc))).toEqual(doc.roles);
  });

  it('names the path of a bad value', () => {
    const text = 'roles:\n  - name: X\n    tenant: main\n    grants:\n      - {type: api, resource: deployment, permission: full}\n      - {type: api, resource: everything, permission: full}\n';
    expect(() => parseRolesDocument(text)).toThrow(/^roles\[0\]\.grants\[1\]\.resource:/);
    try {
      parseRolesDocument(text);
    } catch (error) {
      expect(error).toBeInstanceOf(FerryInputError);
      expect((error as FerryInputError).diagnostics[0]?.path).toBe('roles[0].grants[1].resource');
    }
  });

  it('rejects unknown keys, missing fields, duplicates and broken YAML', () => {
    expect(() => parseRolesDocument('roles:\n  - name: X\n    tenant: main\n    grants: []\n    extra: 1\n')).toThrow(/roles\[0\]/);
    expect(() => parseRolesDocument('roles:\n  - name: X\n    grants: []\n')).toThrow(/^roles\[0\]\.tenant:/);
    expect(() => parseRolesDocument('roles:\n  - {name: X, tenant: t, grants: []}\n  - {name: X, tenant: t, grants: []}\n')).toThrow(/^roles\[1\]\.name:.*twice/);
    expect(() => parseRolesDocument('roles: [unclosed')).toThrow(FerryInputError);
    expect(() => parseRolesDocument('')).toThrow(FerryInputError);
  });
});
