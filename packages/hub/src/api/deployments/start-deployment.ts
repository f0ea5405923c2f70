import { FerryInputError, type DeploymentRecordV1, type Diagnostic } from '@ferry/core';
import type { ApiContext, Principal } from '../../contracts.js';
import { readDeployFile, type DeployFileInput } from './read-deploy-file.js';

/** Validates the file (manifests from the request only) and starts it in the caller's tenant. */
export async function startDeployment(
  ctx: Pick<ApiContext, 'engine'>,
  principal: Principal,
  input: DeployFileInput & { context?: Record<string, string> | undefined },
): Promise<DeploymentRecordV1> {
  const validation = await readDeployFile(input);
  if (!validation.file) throw invalidDeployFile(validation.diagnostics);
  return ctx.engine.start(validation.file, {
    tenant: principal.tenant,
    by: principal.name,
    ...(input.context ? { context: input.context } : {}),
  });
}

export function invalidDeployFile(diagnostics: Diagnostic[]): FerryInputError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const summary = errors.map((d) => `${d.path ? `${d.path}: ` : ''}${d.message}`).join('; ');
  return new FerryInputError(`the deployment file is invalid: ${summary}`, {
    code: 'invalid_deploy_file',
    diagnostics: errors,
    details: { diagnostics: errors },
  });
}
