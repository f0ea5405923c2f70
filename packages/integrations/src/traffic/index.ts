import { definePlugin, type FerryPluginV1 } from '@ferry/core';
import { gatewayApiTrafficProvider } from './gateway-api.js';
import { istioTrafficProvider } from './istio.js';
import { nginxTrafficProvider } from './nginx.js';
import { smiTrafficProvider } from './smi.js';

export { smi, smiTrafficProvider } from './smi.js';
export { istio, istioTrafficProvider } from './istio.js';
export { gatewayApi, gatewayApiTrafficProvider } from './gateway-api.js';
export { nginx, nginxTrafficProvider, CANARY_ANNOTATION, CANARY_WEIGHT_ANNOTATION } from './nginx.js';

/** All four traffic providers (`smi`, `istio`, `gatewayApi`, `nginx`) in one plugin. */
export function trafficProviders(): FerryPluginV1 {
  return definePlugin({
    id: 'traffic',
    register: (ctx) => {
      for (const provider of [smiTrafficProvider, istioTrafficProvider, gatewayApiTrafficProvider, nginxTrafficProvider]) ctx.trafficProviders.add(provider);
    },
  });
}
