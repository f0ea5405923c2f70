import * as z from 'zod';
import { issue, nonEmptyString, optional, rejectBoth, stringList, stringMap } from './common.js';
import { durationSchema } from './duration.js';
import { blueGreenStepSchema, canaryStepSchema, constraintStepSchema } from './steps.js';

/**
 * The raw deployment file as written: aliases are still separate keys so that every problem
 * can be reported at the key the user actually typed. `normalize` turns this into DeployConfig.
 */

const targetSchema = z.object({
  account: nonEmptyString,
  namespace: nonEmptyString,
  strategy: optional(nonEmptyString),
  constraints: optional(
    z.object({
      dependsOn: optional(stringList),
      beforeDeployment: optional(z.array(constraintStepSchema)),
      afterDeployment: optional(z.array(constraintStepSchema)),
    }),
  ),
});

const manifestSchema = z
  .object({
    path: optional(nonEmptyString),
    inline: optional(z.string()),
    targets: optional(stringList),
  })
  .superRefine((value, ctx) => {
    const hasPath = value.path !== undefined && value.path !== null;
    const hasInline = value.inline !== undefined && value.inline !== null;
    if (!hasPath && !hasInline) issue(ctx, [], 'missing_key', 'a manifest needs "path" or "inline"');
    if (hasPath && hasInline) issue(ctx, ['inline'], 'conflicting_keys', 'a manifest takes "path" or "inline", not both');
  });

const canarySchema = z.object({ steps: optional(z.array(canaryStepSchema)) });

const blueGreenSchema = z
  .object({
    activeService: optional(nonEmptyString),
    previewService: optional(nonEmptyString),
    redirectTrafficAfter: optional(z.array(blueGreenStepSchema)),
    shutDownOldVersionAfter: optional(z.array(blueGreenStepSchema)),
    shutdownOldVersionAfter: optional(z.array(blueGreenStepSchema)),
  })
  .superRefine((value, ctx) => rejectBoth(ctx, value, 'shutDownOldVersionAfter', 'shutdownOldVersionAfter'));

const strategySchema = z
  .object({ canary: optional(canarySchema), blueGreen: optional(blueGreenSchema) })
  .superRefine((value, ctx) => {
    const kinds = (['canary', 'blueGreen'] as const).filter((kind) => value[kind] !== undefined && value[kind] !== null);
    if (kinds.length === 0) issue(ctx, [], 'missing_key', 'a strategy needs "canary" or "blueGreen"');
    if (kinds.length > 1) issue(ctx, ['blueGreen'], 'conflicting_keys', 'a strategy is either "canary" or "blueGreen", not both');
  });

const querySchema = z
  .object({
    name: nonEmptyString,
    upperLimit: optional(z.number()),
    lowerLimit: optional(z.number()),
    metricProviderName: optional(nonEmptyString),
    queryTemplate: nonEmptyString,
  })
  .superRefine((value, ctx) => {
    const upper = value.upperLimit ?? undefined;
    const lower = value.lowerLimit ?? undefined;
    if (upper === undefined && lower === undefined) {
      issue(ctx, [], 'missing_key', `query "${value.name}" needs upperLimit, lowerLimit or both`);
    } else if (upper !== undefined && lower !== undefined && lower > upper) {
      issue(ctx, ['lowerLimit'], 'invalid_value', `lowerLimit ${lower} is greater than upperLimit ${upper}`);
    }
  });

const headerSchema = z.object({
  key: nonEmptyString,
  value: z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string' }).transform(String),
});

const webhookSchema = z.object({
  name: nonEmptyString,
  method: z.string().regex(/^[A-Za-z]+$/, { error: 'expected an HTTP method such as GET or POST' }),
  uriTemplate: nonEmptyString,
  networkMode: optional(z.enum(['direct', 'remoteNetworkAgent'])),
  agentIdentifier: optional(nonEmptyString),
  headers: optional(z.array(headerSchema)),
  bodyTemplate: optional(z.object({ inline: z.string() })),
  retryCount: optional(z.number().int().min(0)),
  disableCallback: optional(z.boolean()),
  callbackTimeout: optional(durationSchema),
});

const trafficManagementSchema = z.object({
  targets: optional(stringList),
  smi: optional(
    z.array(
      z.object({
        rootServiceName: nonEmptyString,
        canaryServiceName: optional(nonEmptyString),
        trafficSplitName: optional(nonEmptyString),
      }),
    ),
  ),
  istio: optional(
    z.array(
      z.object({
        virtualService: z.object({ name: nonEmptyString, httpRouteName: optional(nonEmptyString) }),
        destinationRule: z.object({
          name: nonEmptyString,
          activeSubsetName: optional(nonEmptyString),
          canarySubsetName: optional(nonEmptyString),
        }),
      }),
    ),
  ),
  kubernetes: optional(z.array(z.object({ activeService: nonEmptyString, previewService: nonEmptyString }))),
  gatewayApi: optional(
    z.array(
      z.object({
        httpRoute: z.object({ name: nonEmptyString, ruleIndex: optional(z.number().int().min(0)) }),
        stableService: nonEmptyString,
        canaryService: nonEmptyString,
      }),
    ),
  ),
  nginx: optional(
    z.array(z.object({ ingress: nonEmptyString, stableService: nonEmptyString, canaryService: nonEmptyString })),
  ),
});

const deploymentConfigSchema = z.object({
  timeout: optional(durationSchema),
  keepDeploymentObject: optional(z.boolean()),
  ifDeploymentInProgress: optional(z.object({ strategy: optional(z.enum(['reject', 'enqueueOne'])) })),
});

export const deployFileSchema = z.object({
  version: optional(z.string()),
  kind: optional(z.string()),
  application: nonEmptyString,
  description: optional(z.string()),
  context: optional(stringMap),
  deploymentConfig: optional(deploymentConfigSchema),
  targets: z.record(z.string(), targetSchema).superRefine((value, ctx) => {
    if (Object.keys(value).length === 0) issue(ctx, [], 'missing_key', 'at least one target is required');
  }),
  manifests: z.array(manifestSchema).min(1),
  strategies: optional(z.record(z.string(), strategySchema)),
  analysis: optional(
    z.object({ defaultMetricProviderName: optional(nonEmptyString), queries: optional(z.array(querySchema)) }),
  ),
  webhooks: optional(z.array(webhookSchema)),
  trafficManagement: optional(z.array(trafficManagementSchema)),
});

export type RawDeployFile = z.infer<typeof deployFileSchema>;
export type RawTarget = z.infer<typeof targetSchema>;
export type RawStrategy = z.infer<typeof strategySchema>;
