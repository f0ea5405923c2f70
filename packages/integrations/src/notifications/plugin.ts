import { definePlugin, type FerryPluginV1, type NotifierV1 } from '@ferry/core';

/** Registers notifiers with an engine: `notifications(slackNotifier({...}), webhookNotifier({...}))`. */
export function notifications(...notifiers: NotifierV1[]): FerryPluginV1 {
  return definePlugin({ id: 'notifications', register: (ctx) => notifiers.forEach((n) => ctx.notifiers.add(n)) });
}
