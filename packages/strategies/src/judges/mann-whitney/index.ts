export { mannWhitneyJudge } from './judge.js';
export type { MannWhitneyJudgeOptions } from './options.js';
export { mannWhitneyTest, type MannWhitneyResult } from './mann-whitney-test.js';
