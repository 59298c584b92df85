import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { guardOnAws } from '../../src/aws/guard-on-aws.js';
import { monitorOnAws } from '../../src/aws/monitor-on-aws.js';
import {
  createLocalMonitor,
  resourcesNamed,
  type TopicInbox,
} from '../../src/cli/local/local-monitor.js';
import type { CloudTrailRecord } from '../../src/intake/trail-event.js';
import { readSettings } from '../../src/settings.js';
import { useMoto } from '../support/aws-env.js';
import { envelope, invocationWith } from '../support/monitor-stack.js';
import { recordingLogger } from '../support/recording-logger.js';
import {
  type AnnouncingFunction,
  byCloudFormation,
  environmentIn,
  IDENTITIES,
  type Identity,
  type Move,
  playbook,
  playbookStack,
} from './playbook.js';

const moto = useMoto();

/** moto's own account: the topics and table the stack's settings name are made there. */
const ACCOUNT = '123456789012';
const INVOCATION = invocationWith(125_000);

/** The move as `identity` makes it; an IAM user of its own for each move, whose window it opens. */
const recordOf = (move: Move, index: number, identity: Identity): CloudTrailRecord =>
  identity === 'root'
    ? move.records.root
    : {
        ...move.records.iamUser,
        userIdentity: {
          ...(move.records.iamUser.userIdentity as object),
          arn: `arn:aws:iam::${ACCOUNT}:user/mallory-${index}`,
        },
      };

/** The rule that announces a move: root's is tampering; anyone else's depends on what it changes. */
const announcingRule = (record: CloudTrailRecord, identity: Identity): string => {
  // No operation on the monitor's stack is open in this playbook: CloudFormation's calls are
  // the principal's window of their own, whoever it is.
  if (byCloudFormation(record)) return 'monitor-changed-by-cloudformation';
  if (identity === 'root') return 'root-audit-tampering';
  if (record.eventSource === 'cloudformation.amazonaws.com') return 'monitor-stack-changed';
  // The configuration's own announcement, with its diff, names the principal in its message.
  if (record.eventSource === 'ssm.amazonaws.com') return 'config-changed';
  return 'monitor-changed';
};

/*
 * The other half of the playbook: guard-routing.test.ts shows each move reaching a rule other
 * than the one it changes; here the function that rule invokes, built from the settings the
 * template gives it, judges the move and publishes its announcement on the alert topic, its log
 * line naming the principal.
 */
describe('The playbook: every move is announced by the function its rule invokes, naming the principal (moto)', () => {
  // A stack name of this file's own: other files make resources named after root-monitor in
  // the same emulator.
  const stack = playbookStack(ACCOUNT, `rm-playbook-${randomUUID().slice(0, 8)}`);
  const moves = playbook(stack);
  const environments = {
    GuardFunction: environmentIn(stack, 'GuardFunction'),
    RootMonitorFunction: environmentIn(stack, 'RootMonitorFunction'),
  } satisfies Record<AnnouncingFunction, Record<string, string>>;
  let alerts: TopicInbox | undefined;

  beforeAll(async () => {
    [alerts] = await createLocalMonitor(
      moto,
      resourcesNamed(environments, 'template.yaml'),
      JSON.stringify({ version: 1 }),
    );
  });

  it.each(IDENTITIES)(
    'announces each move made as %s',
    async (identity) => {
      expect(moves.length).toBeGreaterThan(100);
      const unannounced: string[] = [];
      for (const [index, move] of moves.entries()) {
        const settings = readSettings(environments[move.announcedBy]);
        const logger = recordingLogger();
        const lambda =
          move.announcedBy === 'GuardFunction'
            ? guardOnAws(settings, logger)
            : monitorOnAws(settings, logger);
        const record = recordOf(move, index, identity);
        const expected = announcingRule(record, identity);

        const result = await lambda.handle(envelope(record), INVOCATION);

        const delivered = (await alerts?.drain()) ?? [];
        // Root's CloudFormation calls share root's window: the first alerts, the others count in it.
        const counted =
          JSON.stringify(result).includes('"redelivery":false') && byCloudFormation(record);
        const named =
          expected === 'config-changed' ||
          logger.lines.some(
            (line) =>
              line.message === 'ROOT_ACCOUNT_USAGE' &&
              line.fields.principalArn === (record.userIdentity as { arn?: string }).arn,
          );
        const heard = counted || (delivered.length > 0 && named);
        if (!(JSON.stringify(result).includes(`"${expected}"`) && heard)) {
          unannounced.push(`${move.name}: ${JSON.stringify(result).slice(0, 300)}`);
        }
      }
      expect(unannounced).toEqual([]);
    },
    240_000,
  );
});
