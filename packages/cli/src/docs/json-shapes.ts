/** The machine-readable shapes (`-o json|yaml`), the same in local and hub mode. Part of docs/cli.md. */
export const JSON_SHAPES = `## Machine-readable output (\`-o json\` / \`-o yaml\`)

The shapes are stable: keys are never removed, every key is always present (\`null\` when unknown),
and they are the hub's REST payloads, so scripts work the same in local and hub mode.

- \`deploy start\` (hub mode, or local mode without \`--watch\`): \`{ "id": string, "link": string | null }\`
  (\`link\` is null in local mode). With \`--watch\`: the final **deployment status** below.
- \`deploy status -i ID\` and \`deploy status -i ID --watch\`: the **deployment status**:
  \`\`\`
  { id, application, status, reason, createdAtIso, startedAtIso, completedAtIso, startedBy, redeployOf, link,
    environments: [{ name, account, namespace, dependsOn: string[], strategy, status, reason,
                     startedAtIso, completedAtIso, weight: number | null,
                     approval: { stepId, kind: "pause" | "rollForward" | "rollBack", message, requiresRoles: string[],
                                 requestedAtIso, expiresAtIso } | null,
                     steps: [step] }],
    steps: [{ id, environment, stage, phase: "before" | "strategy" | "after", kind, title,
              status: "PENDING" | "RUNNING" | "WAITING" | "SUCCEEDED" | "FAILED" | "SKIPPED" | "CANCELLED",
              attempt, startedAtIso, completedAtIso, wakeAtIso, reason }] }
  \`\`\`
  Deployment statuses: QUEUED, REJECTED, RUNNING, PAUSED, AWAITING_APPROVAL, SUCCEEDED, FAILED, CANCELLED.
  Target statuses: PENDING, RUNNING, PAUSED, AWAITING_APPROVAL, ROLLING_BACK, ROLLED_BACK, SUCCEEDED, FAILED, CANCELLED, SKIPPED.
- \`deploy list\`: \`{ "deployments": [{ id, application, status, createdAtIso, startedAtIso, completedAtIso, link, environments: [{ name, status }] }] }\`
- \`deploy approve|reject|skip|rollforward|rollback|cancel\`: \`{ "id": string, "action": string, "target": string | null }\`
- \`deploy redeploy\`: \`{ "id": string, "link": string | null }\`
- \`validate\`: \`{ "valid": boolean, "errors": [diagnostic], "warnings": [diagnostic], "plan": object | null }\`, a diagnostic being
  \`{ severity, code, path, message, file?, line?, column? }\`
- \`config get\` / \`config apply\`: \`{ "roles": [{ name, tenant, grants: [{ type, resource, permission }] }] }\`
- \`agents list\`: \`{ "agents": [{ identifier, instanceId, version, hubReplica, address, connectedAtIso, lastHeartbeatAtIso, clusterRole }] }\`
- \`login\`: \`{ "hub": string, "credentialsFile": string }\`; \`logout\`: \`{ "loggedOut": boolean, "credentialsFile": string }\`
- \`version\`: \`{ "version": string }\`
`;
