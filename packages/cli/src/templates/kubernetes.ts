/** `ferry template kubernetes canary|bluegreen [-f manual|automated|traffic|webhook]`: commented starter files that validate as printed. */

export const TEMPLATE_STRATEGIES = ['canary', 'bluegreen'] as const;
export const TEMPLATE_FEATURES = ['manual', 'automated', 'traffic', 'webhook'] as const;
export type TemplateStrategy = (typeof TEMPLATE_STRATEGIES)[number];
export type TemplateFeature = (typeof TEMPLATE_FEATURES)[number];

const FEATURE_TITLES: Record<TemplateFeature, string> = {
  manual: 'manual approvals',
  automated: 'automated metric analysis (Prometheus)',
  traffic: 'traffic management',
  webhook: 'a webhook (e.g. a CI job) that must pass',
};

export function kubernetesTemplate(strategy: TemplateStrategy, feature: TemplateFeature = 'manual'): string {
  const strategyName = strategy === 'canary' ? `canary-${feature}` : `blue-green-${feature}`;
  return [
    header(strategy, feature),
    targets(strategyName),
    manifests(strategy),
    strategy === 'canary' ? canaryStrategy(strategyName, feature) : blueGreenStrategy(strategyName, feature),
    feature === 'automated' ? analysisSection() : '',
    feature === 'webhook' ? webhookSection() : '',
    feature === 'traffic' ? trafficSection(strategy) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function header(strategy: TemplateStrategy, feature: TemplateFeature): string {
  return `# A Ferry deployment file: ${strategy === 'canary' ? 'a canary' : 'a blue/green'} rollout with ${FEATURE_TITLES[feature]}.
# Check it:  ferry validate -f deploy.yml
# Run it:    ferry deploy start -f deploy.yml --watch
# Reference: docs/deploy-file.md (the format Armory CD-as-a-Service users already write)
version: v1
kind: kubernetes
application: my-app                  # names the deployment; one in progress per application
deploymentConfig:
  timeout: {duration: 10, unit: minutes}   # how long new pods may take to become ready
`;
}

function targets(strategyName: string): string {
  return `# Where to deploy. \`account\` is a kube context name in local mode, or a target/agent name on a hub.
targets:
  staging:
    account: staging-cluster
    namespace: my-app
    strategy: ${strategyName}
  prod:
    account: prod-cluster
    namespace: my-app
    strategy: ${strategyName}
    constraints:
      dependsOn: [staging]           # prod starts after staging succeeded
      beforeDeployment:
        - pause: {untilApproved: true}   # a person approves: ferry deploy approve -i ID -t prod
`;
}

function manifests(strategy: TemplateStrategy): string {
  const preview =
    strategy === 'bluegreen'
      ? `
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: my-app-preview         # reaches the new version before it gets traffic
      spec:
        selector: {app: my-app}
        ports: [{port: 80, targetPort: 8080}]`
      : '';
  return `# What to deploy. Usually files next to this one:  - path: manifests/   (every .yml/.yaml below it)
manifests:
  - inline: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: my-app
      spec:
        replicas: 4
        selector:
          matchLabels: {app: my-app}
        template:
          metadata:
            labels: {app: my-app}
          spec:
            containers:
              - name: my-app
                image: ghcr.io/example/my-app:1.0.0   # the version to roll out: change the tag for each release
                ports: [{containerPort: 8080}]
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: my-app
      spec:
        selector: {app: my-app}
        ports: [{port: 80, targetPort: 8080}]${preview}
context:
  team: payments                     # {{context.team}} in queries and webhooks; ferry deploy start --add-context team=...
`;
}

function canaryStrategy(name: string, feature: TemplateFeature): string {
  const steps: Record<TemplateFeature, string> = {
    manual: `        - setWeight: 25              # 25% of pods (or traffic, with a provider) on the new version
        - pause: {untilApproved: true}   # ferry deploy approve -i ID -t TARGET
        - setWeight: 50
        - pause: {duration: 2, unit: minutes}   # ferry deploy skip -i ID -t TARGET ends it early`,
    automated: `        - setWeight: 25
        - analysis:                  # judged against the limits in \`analysis.queries\`; a failure rolls back
            interval: 1
            units: minutes
            numberOfJudgmentRuns: 3
            rollBackMode: automatic
            rollForwardMode: automatic
            queries: [error-rate]
        - setWeight: 50
        - analysis:
            interval: 1
            units: minutes
            numberOfJudgmentRuns: 2
            queries: [error-rate]`,
    traffic: `        - setWeight: 10              # the traffic provider (see trafficManagement) sends 10% of requests
        - pause: {duration: 2, unit: minutes}
        - setWeight: 50
        - pause: {untilApproved: true}`,
    webhook: `        - setWeight: 25
        - runWebhook: {name: check-logs}   # waits for the job's callback; a failure rolls back
        - setWeight: 50
        - pause: {duration: 2, unit: minutes}`,
  };
  return `# How to roll out. A final setWeight 100 follows the last step.
strategies:
  ${name}:
    canary:
      steps:
${steps[feature]}
`;
}

function blueGreenStrategy(name: string, feature: TemplateFeature): string {
  const services = feature === 'traffic' ? '      # activeService and previewService come from trafficManagement below\n' : '      activeService: my-app            # moves to the new version when redirectTrafficAfter is done\n      previewService: my-app-preview   # points at the new version right away\n';
  const redirect: Record<TemplateFeature, string> = {
    manual: '        - pause: {untilApproved: true}   # try the preview, then: ferry deploy approve -i ID -t TARGET',
    automated: '        - analysis:\n            interval: 1\n            units: minutes\n            numberOfJudgmentRuns: 3\n            queries: [error-rate]',
    traffic: '        - pause: {untilApproved: true}',
    webhook: '        - runWebhook: {name: check-logs}',
  };
  return `# How to roll out: the new version comes up beside the old one without traffic.
strategies:
  ${name}:
    blueGreen:
${services}      redirectTrafficAfter:          # all of these, then traffic moves to the new version
${redirect[feature]}
      shutDownOldVersionAfter:       # all of these, then the old version is removed
        - pause: {duration: 15, unit: minutes}
`;
}

function analysisSection(): string {
  return `# Metric queries the analysis steps judge. The provider "prometheus" is configured on the hub
# (ferry: integrations), or in local mode with FERRY_PROMETHEUS_URL.
analysis:
  defaultMetricProviderName: prometheus
  queries:
    - name: error-rate
      upperLimit: 0.05               # more than 5% errors fails the window
      lowerLimit: 0
      queryTemplate: >-
        sum(rate(http_requests_total{code=~"5..",replicaset="{{armory.replicaSetName}}"}[{{armory.promQlStepInterval}}]))
        / sum(rate(http_requests_total{replicaset="{{armory.replicaSetName}}"}[{{armory.promQlStepInterval}}]))
`;
}

function webhookSection(): string {
  return `# Webhooks steps call. The job answers POST {callbackUri}/callback with {"success": true|false}.
webhooks:
  - name: check-logs
    method: POST
    uriTemplate: https://ci.example.com/job/check-logs/buildWithParameters
    networkMode: direct              # or remoteNetworkAgent: sent from inside the cluster by the agent
    headers:
      - {key: Authorization, value: "Bearer {{secrets.ci_token}}"}   # ferry secrets: set on the hub
      - {key: Content-Type, value: application/json}
    bodyTemplate:
      inline: '{"callback": "{{armory.callbackUri}}/callback", "environment": "{{armory.environmentName}}"}'
    retryCount: 2
`;
}

function trafficSection(strategy: TemplateStrategy): string {
  if (strategy === 'bluegreen') {
    return `# Blue/green services: which Service carries live traffic and which previews the new version.
trafficManagement:
  - kubernetes:
      - activeService: my-app
        previewService: my-app-preview
`;
  }
  return `# Traffic shifting by a service mesh (SMI TrafficSplit); Istio, Gateway API and NGINX work too.
# Without trafficManagement, the canary weight is the share of pods.
trafficManagement:
  - targets: [staging, prod]
    smi:
      - rootServiceName: my-app      # must exist; my-app-canary is created when missing
`;
}
