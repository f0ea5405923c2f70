/** Injection tokens of one engine's child container. The only place tokens are declared. */
export const TOKENS = {
  Store: Symbol('ferry.Store'),
  Clock: Symbol('ferry.Clock'),
  Logger: Symbol('ferry.Logger'),
  Registry: Symbol('ferry.PluginRegistry'),
  Settings: Symbol('ferry.EngineSettings'),
  WakeScheduler: Symbol('ferry.WakeScheduler'),
  EventBus: Symbol('ferry.EventBus'),
  StepContextFactory: Symbol('ferry.StepContextFactory'),
} as const;
