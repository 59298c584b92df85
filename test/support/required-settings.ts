/**
 * The environment that `readSettings` cannot do without, and nothing more: every other setting
 * takes its default.
 */
export const REQUIRED_SETTINGS = {
  ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
  DEDUP_TABLE_NAME: 'dedup',
  CONFIG_PARAMETER: '/root-monitor/config',
};
