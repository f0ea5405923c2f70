import { topologicalOrder } from '@ferry/core';
import type { ApiInstance, RouteDeps } from '../api-types.js';
import { validateBody, validateResponse } from './deployment-schemas.js';
import { readDeployFile } from './read-deploy-file.js';

/** `ferry validate` over HTTP: every diagnostic, and the targets in the order they would run. */
export function registerValidateRoute(api: ApiInstance, _deps: RouteDeps): void {
  api.post('/api/v1/validate', {
    config: { access: { resource: 'deployment', access: 'read' } },
    schema: { tags: ['deployments'], summary: 'Validate a deployment file without starting it', body: validateBody, response: { 200: validateResponse } },
  }, async (request) => {
    const validation = await readDeployFile(request.body);
    const diagnostics = validation.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      path: d.path,
      file: d.file ?? null,
      line: d.line ?? null,
      column: d.column ?? null,
      message: d.message,
    }));
    if (!validation.file) return { valid: false, diagnostics };
    const { config } = validation.file;
    const plan = {
      application: config.application,
      targets: topologicalOrder(config.targets).map((name) => {
        const target = config.targets[name]!;
        return { name, account: target.account, namespace: target.namespace, dependsOn: target.constraints.dependsOn, strategy: target.strategy ?? null };
      }),
    };
    return { valid: true, diagnostics, plan };
  });
}
