/** The live view of a running deployment: reusable by the demo and any host of the engine. */
export { LiveView, type LiveViewOptions } from './live-view.js';
export { watchDeployment, type WatchOptions } from './watch.js';
export { renderFrame, SPINNER, type FrameOptions } from './frame.js';
export { eventLine } from './event-line.js';
export { blockerOf, type Blocker } from './unblock.js';
export { applyEvent, initialLiveState, type LiveState, type AnalysisValue } from './model.js';
export { engineSource, type LiveSource } from './engine-source.js';
