import {
  DescribeKeyCommand,
  type DescribeKeyCommandOutput,
  GetKeyPolicyCommand,
  type KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { GetTopicAttributesCommand, type SNSClient } from '@aws-sdk/client-sns';
import { describeError } from '../../errors.js';
import type { KeyReads, KeyView } from '../../health/ports.js';

/** KMS keys and the topics that encrypt with them. */
export class AlertKeys implements KeyReads {
  readonly #kmsFor: (region: string) => KMSClient;
  readonly #sns: SNSClient;
  readonly #homeRegion: string;
  readonly #account: string;

  /**
   * @param kmsFor a client for a Region: a key given by ARN is asked for in its own Region
   * @param account the caller's account: only a key of its own has a policy it can read
   */
  constructor(
    kmsFor: (region: string) => KMSClient,
    sns: SNSClient,
    { homeRegion, account }: { homeRegion: string; account: string },
  ) {
    const clients = new Map<string, KMSClient>();
    this.#kmsFor = (region) => {
      const client = clients.get(region) ?? kmsFor(region);
      clients.set(region, client);
      return client;
    };
    this.#sns = sns;
    this.#homeRegion = homeRegion;
    this.#account = account;
  }

  async topicKey(topicArn: string): Promise<string | undefined> {
    const { Attributes = {} } = await this.#sns.send(
      new GetTopicAttributesCommand({ TopicArn: topicArn }),
    );
    return Attributes.KmsMasterKeyId || undefined;
  }

  async key(keyId: string): Promise<KeyView | undefined> {
    // arn:PARTITION:kms:REGION:ACCOUNT:key/ID
    const [, , , region, account] = keyId.startsWith('arn:') ? keyId.split(':') : [];
    const kms = this.#kmsFor(region || this.#homeRegion);
    let metadata: DescribeKeyCommandOutput;
    try {
      metadata = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    } catch (error) {
      if (error instanceof NotFoundException) return undefined;
      throw error;
    }
    const {
      Arn = keyId,
      KeyState = 'Unknown',
      KeyManager = 'CUSTOMER',
      DeletionDate,
    } = metadata.KeyMetadata ?? {};
    return {
      arn: Arn,
      state: KeyState,
      manager: KeyManager,
      deletionDate: DeletionDate,
      policy: await this.#policy(kms, Arn, account ?? Arn.split(':')[4]),
    };
  }

  async #policy(
    kms: KMSClient,
    arn: string,
    account: string | undefined,
  ): Promise<KeyView['policy']> {
    if (account !== undefined && account !== this.#account) {
      return {
        unreadable: `the key belongs to account ${account}, and GetKeyPolicy reads only keys of the caller's account`,
      };
    }
    try {
      const { Policy } = await kms.send(
        new GetKeyPolicyCommand({ KeyId: arn, PolicyName: 'default' }),
      );
      return { document: JSON.parse(Policy ?? 'null') };
    } catch (error) {
      return { unreadable: describeError(error) };
    }
  }
}
