/** Scoring as Inspect does it: scorers, value mapping, epoch reducers and metrics. Pure functions, no I/O. */
export * from './types';
export { valueToFloat, valueToFloatChecked, type ValueToFloatOptions, type ValueWarning } from './value';
export {
  ANSWER_PATTERNS,
  answer,
  computeF1,
  exact,
  f1,
  includes,
  match,
  matchStr,
  normalizeNumber,
  normalizeText,
  parseNumber,
  pattern,
  type AnswerKind,
  type MatchLocation,
  type MatchOptions,
  type PatternOptions,
} from './scorers';
export {
  MULTIPLE_ANSWER_TEMPLATE,
  MULTIPLE_ANSWER_TEMPLATE_COT,
  SINGLE_ANSWER_TEMPLATE,
  SINGLE_ANSWER_TEMPLATE_COT,
  answerCharacter,
  answerIndex,
  answerLetters,
  answerOptions,
  choice,
  defaultTemplate,
  multipleChoicePrompt,
  parseMultipleChoiceAnswer,
  renderTemplate,
  shuffleChoices,
  unshufflePositions,
  type MultipleChoicePrompt,
  type ShuffledChoices,
} from './multiple-choice';
export {
  DEFAULT_REDUCER,
  atLeastReducer,
  maxReducer,
  meanReducer,
  medianReducer,
  modeReducer,
  passAtReducer,
  passKReducer,
  reduceEpochs,
  reducerByName,
  type ScoreReducer,
} from './reducers';
export {
  bootstrapStderr,
  clusteredStderr,
  computeGroupedMetrics,
  computeMetrics,
  meanOf,
  normalInterval,
  std,
  stderr,
  variance,
  wilsonInterval,
  type BootstrapResult,
  type GroupedMetrics,
  type Interval,
  type MetricValues,
  type MetricsOptions,
  type SampleScore,
} from './metrics';
export { formatG, pyRound, reprFloat } from './python';
export { pythonRegex } from './python-regex';
export { PythonRandom } from './python-random';
export { unicodeNumberToFloat } from './unicode-number';
