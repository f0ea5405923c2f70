import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import { exposeServicesStepKind, type PreviewLinks } from '../preview/index.js';

/** The hub's `exposeServices` step kind; without preview links it fails with a clear error when run. */
export function exposeServicesPlugin(links: PreviewLinks | undefined): FerryPluginV1 {
  return definePlugin({ id: 'hub.exposeServices', register: (ctx) => ctx.stepKinds.add(exposeServicesStepKind(links)) });
}
