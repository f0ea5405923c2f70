export { createPreviewLinks, type PreviewLinks, type PreviewLinksOptions, type PreviewLink, type PreviewLookup, type ExposeRequest } from './preview-links.js';
export { registerPreviewRoute } from './preview-route.js';
export { exposeServicesStepKind, DEFAULT_PREVIEW_TTL_MS } from './expose-services-step.js';
export { mintPreviewToken, hashPreviewToken } from './preview-token.js';
export { serviceProxyUpstream, clusterDnsUpstream, type PreviewUpstream } from './upstream.js';
