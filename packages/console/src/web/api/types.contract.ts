/**
 * The console's view of the hub's REST payloads (types.ts) checked against what the hub's own
 * schemas say it answers: `npm run typecheck` fails when a hub response changes in a way the
 * console would misread. Types only: nothing of the hub reaches the browser bundle.
 */
import type * as Hub from '@ferry/hub';
import type * as Console from './types.js';

/** Whatever the hub sends as `Sent` is a valid `Read` for the console. */
type Reads<Sent, Read> = [Sent] extends [Read] ? true : false;
/** The two lists of names are the same. */
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export type ConsoleReadsHubPayloads = [
  Holds<Reads<Hub.DeploymentStatusPayload, Console.DeploymentPayload>>,
  Holds<Reads<Hub.DeploymentSummaryPayload, Console.DeploymentSummary>>,
  Holds<Reads<Hub.DeploymentEventPayload, Console.EventPayload>>,
  Holds<Reads<Hub.DeploymentConfigPayload, Console.DeploymentConfig>>,
  Holds<Reads<Hub.MePayload, Console.Me>>,
  Holds<Reads<Hub.RolePayload, Console.Role>>,
  Holds<Reads<Hub.CredentialPayload, Console.Credential>>,
  Holds<Reads<Hub.SecretEntryPayload, Console.SecretEntry>>,
  Holds<Reads<Hub.IntegrationPayload, Console.Integration>>,
  Holds<Reads<Hub.UserPayload, Console.User>>,
  Holds<Reads<Hub.TenantPayload, Console.Tenant>>,
  Holds<Reads<Hub.AgentPayload, Console.Agent>>,
  Holds<Reads<Hub.TargetPayload, Console.Target>>,
  Holds<Reads<Hub.ErrorPayload, Console.ApiErrorBody>>,
  // The console lists grant resources itself (it cannot import the hub at run time): the same names.
  Holds<SameSet<Hub.GrantResource, Console.GrantResource>>,
];
