import { definePlugin, type FerryPluginV1 } from '../../plugins/define-plugin.js';
import { analysisStepKind } from './analysis.js';
import { applyStepKind } from './apply.js';
import { pauseStepKind } from './pause.js';

/** The step kinds every engine has: `pause`, `analysis` and `apply`. */
export function builtinStepKinds(): FerryPluginV1 {
  return definePlugin({
    id: 'ferry.builtin',
    register(ctx) {
      ctx.stepKinds.add(pauseStepKind());
      ctx.stepKinds.add(analysisStepKind());
      ctx.stepKinds.add(applyStepKind());
    },
  });
}
