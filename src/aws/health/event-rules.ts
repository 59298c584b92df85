import {
  DescribeRuleCommand,
  type EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListTargetsByRuleCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-eventbridge';
import type { RuleReads, RuleView } from '../../health/reads.js';

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
      const { State } = await client.send(new DescribeRuleCommand({ Name: name }));
      const targetArns: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new ListTargetsByRuleCommand({ Rule: name, NextToken }));
        for (const { Arn } of page.Targets ?? []) if (Arn !== undefined) targetArns.push(Arn);
        NextToken = page.NextToken;
      } while (NextToken !== undefined);
      return { name, state: State ?? 'UNKNOWN', targetArns };
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
