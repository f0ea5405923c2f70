import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FerryInputError, type Diagnostic } from '@ferry/core';
import type { RoleRecord } from '../contracts.js';
import { grantSchema, plainName, tenantName } from '../db/validation.js';

const rolesDocument = z
  .object({
    roles: z.array(
      z
        .object({
          name: plainName,
          tenant: tenantName,
          grants: z.array(grantSchema),
        })
        .strict(),
    ),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.roles.forEach((role, index) => {
      const key = `${role.tenant}/${role.name}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['roles', index, 'name'], message: `role "${role.name}" appears twice in tenant "${role.tenant}"` });
      seen.add(key);
    });
  });

/** `roles[0].grants[1].resource` from zod's path. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/**
 * Parses the reference CLI's `config apply` roles document (YAML or JSON):
 * `roles: [{name, tenant, grants: [{type: api, resource, permission}]}]`.
 * Throws FerryInputError whose diagnostics locate every problem by path.
 */
export function parseRolesDocument(text: string): RoleRecord[] {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new FerryInputError(`roles document: not valid YAML or JSON: ${(error as Error).message}`, { code: 'invalid_roles_document' });
  }
  const result = rolesDocument.safeParse(value);
  if (result.success) return result.data.roles.map((role) => ({ name: role.name, tenant: role.tenant, grants: role.grants }));
  const diagnostics: Diagnostic[] = result.error.issues.map((issue) => ({
    severity: 'error',
    code: issue.code,
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const first = diagnostics[0] as Diagnostic;
  throw new FerryInputError(`${first.path || 'roles document'}: ${first.message}`, { code: 'invalid_roles_document', diagnostics });
}
