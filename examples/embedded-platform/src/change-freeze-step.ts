import { definePlugin, FerryInputError, parsePluginOptions, type FerryPluginV1, type StepKindV1 } from '@ferry/core';
import { z } from 'zod';
import type { ReleaseEntry } from './change-calendar.js';

/** What the step needs from the platform: read a freeze, record a release. */
export interface ChangeCalendarV1 {
  frozen(calendar: string): Promise<string | null>;
  recordRelease(entry: ReleaseEntry): Promise<void>;
}

/** `custom: {kind: changeFreeze, config: {calendar: prod, maxWaitSeconds: 7200}}` */
const configSchema = z.strictObject({
  calendar: z.string().min(1),
  /** Fail instead of waiting longer than this for the freeze to lift. Default: wait forever. */
  maxWaitSeconds: z.number().int().positive().optional(),
});

const optionsSchema = z.strictObject({
  calendar: z.custom<ChangeCalendarV1>((v) => typeof (v as ChangeCalendarV1 | undefined)?.frozen === 'function', 'must be a ChangeCalendarV1'),
  /** How often a waiting step looks at the calendar again. Default 30 s. */
  recheckMs: z.number().int().min(10).default(30_000),
});

/**
 * A step kind of the platform's own: the deployment waits while its change calendar is frozen,
 * then records the release and goes on. It returns outcomes and never touches the engine's
 * state; waiting is `status: waiting` with a `wakeAt`, so a restart resumes it.
 */
export function changeFreezeStep(options: z.input<typeof optionsSchema>): StepKindV1 {
  const { calendar, recheckMs } = parsePluginOptions('changeFreeze', optionsSchema, options);
  return {
    specificationVersion: 'v1',
    kind: 'changeFreeze',
    validate(config, { path }) {
      const parsed = configSchema.safeParse(config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = [path, ...(issue?.path ?? [])].join('.');
        throw new FerryInputError(`${where}: ${issue?.message ?? 'invalid'}`, { code: 'invalid_step' });
      }
      return parsed.data;
    },
    async run(ctx) {
      const config = configSchema.parse(ctx.step.config);
      const reason = await calendar.frozen(config.calendar);
      if (reason === null) {
        await calendar.recordRelease({ deploymentId: ctx.deploymentId, application: ctx.application, target: ctx.target.name, calendar: config.calendar, at: ctx.now() });
        return { status: 'succeeded', events: [{ type: 'changeFreeze.passed', data: { calendar: config.calendar } }] };
      }
      if (config.maxWaitSeconds !== undefined && ctx.now() - ctx.startedAt > config.maxWaitSeconds * 1000) {
        return { status: 'failed', reason: `calendar "${config.calendar}" stayed frozen for more than ${config.maxWaitSeconds} s: ${reason}` };
      }
      const firstWait = ctx.state === undefined;
      return {
        status: 'waiting',
        state: { frozen: reason },
        wakeAt: ctx.now() + recheckMs,
        ...(firstWait ? { events: [{ type: 'changeFreeze.waiting', data: { calendar: config.calendar, reason } }] } : {}),
      };
    },
  };
}

export function changeFreezePlugin(options: z.input<typeof optionsSchema>): FerryPluginV1 {
  const step = changeFreezeStep(options);
  return definePlugin({ id: 'platform.changeFreeze', register: (ctx) => ctx.stepKinds.add(step) });
}
