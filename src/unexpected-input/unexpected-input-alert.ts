import { type ChatNotification, SEVERITY_EMOJI } from '../alert/render/chat-notification.js';
import { filterAttributes } from '../alert/render/filter-attributes.js';
import { messageByProtocol, type SnsPublishRequest } from '../alert/render/sns-request.js';
import { finishSubject } from '../alert/render/subject.js';
import { chatCode, chatText, chatTrusted } from '../alert/text/chat-escape.js';
import { escapeText } from '../alert/text/escape.js';
import { isAccountId } from '../alert/text/shell-safe.js';
import {
  type InputShape,
  type MonitorFunction,
  SHAPE_NAMES,
  TRIGGERS,
} from '../intake/trigger-input.js';

export const UNEXPECTED_INPUT_RULE_ID = 'unexpected-input';
const EVENT_NAME = 'UnexpectedInput';

/** One function given an input its trigger never sends. */
export interface UnexpectedInputNotice {
  function: MonitorFunction;
  /** The deployed function's name, as Lambda gives it; quoted escaped. */
  functionName: string | undefined;
  shape: InputShape;
  /** The input's top-level field names, as given: attacker-controlled. */
  fields: readonly string[];
  /** The CloudTrail events it held. */
  events: number;
  /** Whether the function judged them: a scheduled function judges no CloudTrail event. */
  judged: boolean;
  /** Why those events could not be read, when the input held some that were malformed. */
  unreadable?: string;
  /** How long the alarm stays quiet for the same function and shape after this one. */
  repeatAfterMinutes: number;
}

/**
 * A tampered target on a path that carries alerts hides what it should deliver: as grave as
 * root touching the monitor. On a schedule it delays digests or health checks.
 */
const severityOf = (fn: MonitorFunction) =>
  fn === 'digests' || fn === 'health-check' ? 'HIGH' : 'CRITICAL';

/** What a trigger sends, in words: what the function should have been given. */
const EXPECTED_IN_WORDS: Partial<Record<InputShape, string>> = {
  'eventbridge-event':
    "an EventBridge event: a CloudTrail record inside EventBridge's envelope (version, id, detail-type, source, account, time, region, resources, detail)",
  'scheduled-event':
    'EventBridge\'s Scheduled Event (detail-type "Scheduled Event", source aws.events), never a constant input',
  'sqs-batch': "Lambda's batch of SQS messages (Records of eventSource aws:sqs)",
};

const expectedOf = (fn: MonitorFunction): string => {
  const sends = TRIGGERS[fn].sends;
  return EXPECTED_IN_WORDS[sends] ?? SHAPE_NAMES[sends];
};

const functionLabel = (notice: UnexpectedInputNotice): string =>
  `${notice.function} function${notice.functionName === undefined ? '' : ` (${escapeText(notice.functionName, 140)})`}`;

const heldLine = ({ events, judged, unreadable }: UnexpectedInputNotice): string => {
  if (unreadable !== undefined) {
    return `It held CloudTrail events that could not be read: ${escapeText(unreadable, 500)}`;
  }
  if (events === 0) return 'It held no CloudTrail event.';
  const held = `It held ${events} CloudTrail ${events === 1 ? 'event' : 'events'}`;
  return judged
    ? `${held}, judged as if delivered: any alert ${events === 1 ? 'it calls' : 'they call'} for went out beside this one.`
    : `${held}, which this function does not judge: only the real-time function and the guard do.`;
};

const MEANING = [
  'Either someone invoked the function by hand (a console test, aws lambda invoke, sam local invoke against the deployed function), or a rule target was changed to pass a constant Input, an InputPath or an InputTransformer.',
  'A tampered target hides every event its rule matches: the function is given this instead.',
];

const stepsFor = (notice: UnexpectedInputNotice): string[] => [
  `List the rules that invoke the function and read each target: aws events list-rule-names-by-target --target-arn FUNCTION_ARN, then aws events list-targets-by-rule --rule RULE. A target with Input, InputPath or InputTransformer is tampered: redeploy the stack (sam deploy) to put it back.`,
  'Find who changed it: look in CloudTrail for PutTargets and PutRule on the rule (aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=PutTargets).',
  `If it was a test, nothing is broken. The same input to the same function is not alarmed again for ${notice.repeatAfterMinutes} minutes; each one is counted in the UnexpectedInput metric, whose alarm (STACK-unexpected-input) reaches the alarm topic.`,
];

const fieldsText = (fields: readonly string[], quote: (field: string) => string): string =>
  fields.length === 0 ? 'none' : fields.map(quote).join(', ');

const emailOf = (notice: UnexpectedInputNotice, severity: string): string =>
  [
    `${severity} - root-monitor's ${functionLabel(notice)} was invoked with input its trigger never sends.`,
    '',
    'WHAT IT GOT',
    `  ${SHAPE_NAMES[notice.shape]} (top-level fields: ${fieldsText(notice.fields, (field) => escapeText(field, 64))}).`,
    `  Its trigger, ${TRIGGERS[notice.function].by}, sends ${expectedOf(notice.function)}.`,
    `  ${heldLine(notice)}`,
    '',
    'WHAT IT MEANS',
    ...MEANING.map((line) => `  ${line}`),
    '',
    'WHAT TO DO',
    ...stepsFor(notice).map((step, index) => `  ${index + 1}. ${step}`),
    '',
  ].join('\n');

const chatOf = (
  notice: UnexpectedInputNotice,
  severity: 'CRITICAL' | 'HIGH',
): ChatNotification => ({
  version: '1.0',
  source: 'custom',
  content: {
    textType: 'client-markdown',
    title: `${SEVERITY_EMOJI[severity]} *${severity}* root-monitor ${notice.function} function: unexpected input (${notice.shape})`,
    description: [
      `*Got:* ${chatTrusted(SHAPE_NAMES[notice.shape])}, fields ${fieldsText(notice.fields, (field) => chatCode(field, 64))}`,
      `*Its trigger* (${TRIGGERS[notice.function].by}) sends ${expectedOf(notice.function)}.`,
      chatText(heldLine(notice), 700),
      ...MEANING,
    ].join('\n'),
    nextSteps: stepsFor(notice),
    keywords: [severity, UNEXPECTED_INPUT_RULE_ID],
  },
  metadata: {
    threadId: `root-monitor-unexpected-input-${notice.function}`,
    summary: `root-monitor ${notice.function} function given ${SHAPE_NAMES[notice.shape]}: a test or a tampered target`,
    eventType: EVENT_NAME,
    additionalContext: {
      severity,
      ruleIds: UNEXPECTED_INPUT_RULE_ID,
      function: notice.function,
      ...(notice.functionName === undefined
        ? {}
        : { functionName: escapeText(notice.functionName, 140) }),
      input: notice.shape,
      fields: notice.fields.map((field) => escapeText(field, 64)).join(','),
      events: String(notice.events),
    },
  },
});

/**
 * The SNS Publish request for an unexpected input. The input's field names and the function's
 * name are escaped; the subject carries only names of ours and the account.
 */
export const unexpectedInputAlertFor = (
  notice: UnexpectedInputNotice,
  topicArn: string,
  accountId: string | undefined,
): SnsPublishRequest => {
  const severity = severityOf(notice.function);
  const account = accountId !== undefined && isAccountId(accountId) ? accountId : '';
  return {
    TopicArn: topicArn,
    // Names of ours only, and at most 96 characters: the longest function and shape fit whole.
    Subject: finishSubject(
      `[${severity}] root-monitor unexpected input to ${notice.function}: ${notice.shape}${account === '' ? '' : ` - ${account}`}`,
    ),
    MessageStructure: 'json',
    Message: messageByProtocol(chatOf(notice, severity), emailOf(notice, severity)),
    MessageAttributes: filterAttributes({
      severity,
      eventName: EVENT_NAME,
      ruleId: UNEXPECTED_INPUT_RULE_ID,
      accountId: account,
    }),
  };
};
