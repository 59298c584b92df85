import { describe, expect, it } from 'vitest';
import type { ChatNotification } from '../../src/alert/render/chat-notification.js';
import { requestBytes, SNS_MAX_REQUEST_BYTES } from '../../src/alert/render/sns-request.js';
import { configAlertFor } from '../../src/config-watch/config-alert.js';
import { FORBIDDEN_RAW, HOSTILE } from '../alert/alert-fixture.js';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:root-monitor-alerts';

const PROBLEMS = [
  '/root-monitor/config: allow[0] (id "office"): sourceIps[1] "10.0.0.0/33" is not an IP address or CIDR',
  '/root-monitor/config: allow[1]: field reason is required',
];

const partsOf = (message: string): { chat: ChatNotification; email: string } => {
  const parsed = JSON.parse(message) as { default: string; email: string };
  return { chat: JSON.parse(parsed.default) as ChatNotification, email: parsed.email };
};

describe('configAlertFor', () => {
  it('has an informative ASCII subject and HIGH attributes', () => {
    const request = configAlertFor(PROBLEMS, ['/root-monitor/config'], TOPIC, '111122223333');
    expect(request.Subject).toBe('[HIGH] root-monitor configuration invalid - allowlist disabled');
    expect(request.TopicArn).toBe(TOPIC);
    expect(request.MessageStructure).toBe('json');
    expect(request.MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'HIGH' },
      service: { DataType: 'String', StringValue: 'root-monitor' },
      event_name: { DataType: 'String', StringValue: 'ConfigurationInvalid' },
      rule_id: { DataType: 'String', StringValue: 'config-invalid' },
      account_id: { DataType: 'String', StringValue: '111122223333' },
    });
  });

  it('reads Unknown for an account it does not know or that is malformed', () => {
    for (const account of [undefined, '', 'nope']) {
      const request = configAlertFor(PROBLEMS, [], TOPIC, account);
      expect(request.MessageAttributes.account_id?.StringValue).toBe('Unknown');
    }
  });

  it('lists every problem and says what it means and what to do', () => {
    const { email } = partsOf(configAlertFor(PROBLEMS, ['/root-monitor/config'], TOPIC).Message);
    expect(email).toContain('  1. /root-monitor/config: allow[0] (id "office"): sourceIps[1]');
    expect(email).toContain('  2. /root-monitor/config: allow[1]: field reason is required');
    expect(email).toContain('every root event alerts');
    expect(email).toContain('root-monitor config validate FILE');
    expect(email).toContain('root-monitor config push --parameter NAME FILE');
    expect(email).toContain('  - /root-monitor/config');
  });

  it('gives a Chatbot custom notification with the problems and steps', () => {
    const { chat } = partsOf(configAlertFor(PROBLEMS, ['/a', '/b'], TOPIC).Message);
    expect(chat.version).toBe('1.0');
    expect(chat.source).toBe('custom');
    expect(chat.content.textType).toBe('client-markdown');
    expect(chat.content.nextSteps).toHaveLength(4);
    expect(chat.content.description).toContain('field reason is required');
    expect(chat.metadata.eventType).toBe('ConfigurationInvalid');
    expect(chat.metadata.additionalContext).toEqual({
      severity: 'HIGH',
      ruleIds: 'config-invalid',
      problemCount: '2',
      sources: '/a,/b',
    });
  });

  it('escapes problems that quote hostile document text', () => {
    const { chat, email } = partsOf(
      configAlertFor([`allow[0]: bad id "${HOSTILE}"`], [HOSTILE], TOPIC).Message,
    );
    expect(email).not.toMatch(FORBIDDEN_RAW);
    expect(email.split('\n').some((line) => line.startsWith('SEVERITY'))).toBe(false);
    for (const text of [chat.content.description, ...chat.content.nextSteps]) {
      expect(text).not.toMatch(FORBIDDEN_RAW);
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('*bold*');
      expect(text).not.toContain('](');
    }
  });

  it('cuts the problem list with a marker to stay under the SNS limit, keeping the steps', () => {
    const many = Array.from({ length: 5000 }, (_, index) => `problem ${index}: ${'y'.repeat(900)}`);
    const request = configAlertFor(many, ['/root-monitor/'], TOPIC);
    expect(requestBytes(request)).toBeLessThanOrEqual(SNS_MAX_REQUEST_BYTES);
    const { chat, email } = partsOf(request.Message);
    expect(email).toMatch(/\[\.\.\. \d+ more problem\(s\) not shown/);
    expect(email).toContain('PROBLEMS (5000)');
    expect(email).toContain('WHAT TO DO');
    expect(email).toContain('  4. The change takes effect within CONFIG_MAX_AGE_SECONDS');
    expect(chat.content.description).toContain('more problem(s) not shown');
  });
});
