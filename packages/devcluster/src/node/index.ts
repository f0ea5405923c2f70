export { startNode, type StartNodeOptions, type RunningNode } from './start-node.js';
export { DEFAULT_NODE_NAME } from './node-registration.js';
export { podPortsFile, prometheusTargetsFile, readPodPorts, type PodPorts, type PodPortsFile, type TargetGroup } from './state-files.js';
export { simulatedBehaviour, IMMEDIATE_EXIT_MS, type SimulatedBehaviour } from './simulated-behaviour.js';
