import { FerryError } from '../errors/index.js';
import type { Duration, PauseStep, StepConfig, TimeUnit } from './types.js';
import type { RawDuration, RawUnit } from './schema/duration.js';
import type { RawAnalysisStep, RawPause, RawStep } from './schema/steps.js';

const UNIT_MS: Record<TimeUnit, number> = { seconds: 1_000, minutes: 60_000, hours: 3_600_000 };

export function makeDuration(duration: number, unit: TimeUnit): Duration {
  return { duration, unit, ms: duration * UNIT_MS[unit] };
}

/** A written duration; `unit: none` means "does not apply" and yields undefined. */
export function toDuration(raw: RawDuration | null | undefined): Duration | undefined {
  if (!raw) return undefined;
  const unit = raw.unit ?? raw.units;
  return unit === undefined || unit === null || unit === 'none' ? undefined : makeDuration(raw.duration, unit);
}

function roles(raw: string | string[] | null | undefined): string[] {
  if (raw === null || raw === undefined) return [];
  return typeof raw === 'string' ? [raw] : raw;
}

function pause(raw: RawPause): PauseStep {
  const unit: RawUnit | undefined = raw.unit ?? raw.units ?? undefined;
  const duration = raw.duration !== null && raw.duration !== undefined && unit ? toDuration({ duration: raw.duration, unit }) : undefined;
  const expiration = toDuration(raw.approvalExpiration ?? raw.approvalDuration);
  return {
    kind: 'pause',
    ...(duration ? { duration } : {}),
    untilApproved: raw.untilApproved ?? false,
    requiresRoles: roles(raw.requiresRoles ?? raw.requiresRole),
    ...(expiration ? { approvalExpiration: expiration } : {}),
  };
}

function analysis(raw: RawAnalysisStep): StepConfig {
  // The schema guarantees a real unit here; `none` is rejected for intervals.
  const unit = (raw.units ?? raw.unit ?? 'seconds') as TimeUnit;
  return {
    kind: 'analysis',
    ...(raw.metricProviderName ? { metricProviderName: raw.metricProviderName } : {}),
    context: raw.context ?? {},
    interval: makeDuration(raw.interval, unit),
    numberOfJudgmentRuns: raw.numberOfJudgmentRuns ?? 1,
    rollBackMode: raw.rollBackMode ?? 'automatic',
    rollForwardMode: raw.rollForwardMode ?? 'automatic',
    lookbackMethod: raw.lookbackMethod ?? 'growing',
    abortOnFailedJudgment: raw.abortOnFailedJudgment ?? false,
    queries: raw.queries,
    judge: raw.judge ?? 'threshold',
    noData: raw.noData ?? 'fail',
  };
}

/** One validated raw step (exactly one kind key present) in its normalized form. */
export function normalizeStep(raw: RawStep): StepConfig {
  if (raw.setWeight !== undefined) {
    return { kind: 'setWeight', weight: typeof raw.setWeight === 'number' ? raw.setWeight : raw.setWeight.weight };
  }
  if (raw.pause !== undefined) return pause(raw.pause);
  if (raw.analysis !== undefined) return analysis(raw.analysis);
  if (raw.runWebhook !== undefined) return { kind: 'runWebhook', name: raw.runWebhook.name, context: raw.runWebhook.context ?? {} };
  if (raw.exposeServices !== undefined) {
    const ttl = toDuration(raw.exposeServices.ttl);
    return { kind: 'exposeServices', services: raw.exposeServices.services, ...(ttl ? { ttl } : {}) };
  }
  if (raw.custom !== undefined) return { kind: 'custom', stepKind: raw.custom.kind, config: raw.custom.config ?? {} };
  throw new FerryError('internal', 'normalizeStep: a step without a kind passed validation');
}

export function normalizeSteps(raw: RawStep[] | null | undefined): StepConfig[] {
  return (raw ?? []).map(normalizeStep);
}
