import {
  DescribeRuleCommand,
  type EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListTargetsByRuleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import type { RuleReads, RuleView, TargetView } from '../../health/ports.js';

/** A rule's pattern as EventBridge keeps it (JSON text), parsed; text that is not JSON stays text. */
const parsedPattern = (text: string | undefined): unknown => {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** EventBridge rules on the default bus of any Region. */
export class EventRules implements RuleReads {
  readonly #clientFor: (region: string) => EventBridgeClient;

  /** @param clientFor a client for a Region; called once per Region and kept */
  constructor(clientFor: (region: string) => EventBridgeClient) {
    const clients = new Map<string, EventBridgeClient>();
    this.#clientFor = (region) => {
      const client = clients.get(region) ?? clientFor(region);
      clients.set(region, client);
      return client;
    };
  }

  async rule(name: string, region: string): Promise<RuleView | undefined> {
    const client = this.#clientFor(region);
    try {
      const { State, EventPattern, ScheduleExpression } = await client.send(
        new DescribeRuleCommand({ Name: name }),
      );
      const targets: TargetView[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new ListTargetsByRuleCommand({ Rule: name, NextToken }));
        for (const target of page.Targets ?? []) {
          if (target.Arn === undefined) continue;
          targets.push({
            id: target.Id ?? '',
            arn: target.Arn,
            input: target.Input,
            inputPath: target.InputPath,
            inputTransformer: target.InputTransformer,
            roleArn: target.RoleArn,
          });
        }
        NextToken = page.NextToken;
      } while (NextToken !== undefined);
      return {
        name,
        state: State ?? 'UNKNOWN',
        targetArns: targets.map(({ arn }) => arn),
        eventPattern: parsedPattern(EventPattern),
        scheduleExpression: ScheduleExpression || undefined,
        targets,
      };
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async rulesTargeting(targetArn: string, region: string): Promise<RuleView[]> {
    const client = this.#clientFor(region);
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new ListRuleNamesByTargetCommand({ TargetArn: targetArn, NextToken }),
      );
      names.push(...(page.RuleNames ?? []));
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    const rules = await Promise.all(names.map((name) => this.rule(name, region)));
    return rules.filter((rule): rule is RuleView => rule !== undefined);
  }
}
