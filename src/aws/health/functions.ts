import {
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  type LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import type { AliasView, FunctionReads } from '../../health/ports.js';

/** The undefined a read answers for what Lambda does not have. */
const orNone = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

/** The stack's functions as Lambda runs them. */
export class StackFunctions implements FunctionReads {
  readonly #client: LambdaClient;

  constructor(client: LambdaClient) {
    this.#client = client;
  }

  alias(functionName: string, aliasName: string): Promise<AliasView | undefined> {
    return orNone(async () => {
      const { FunctionVersion = '', RoutingConfig } = await this.#client.send(
        new GetAliasCommand({ FunctionName: functionName, Name: aliasName }),
      );
      return {
        functionVersion: FunctionVersion,
        routing: RoutingConfig?.AdditionalVersionWeights ?? {},
      };
    });
  }

  async codeSha256(functionName: string, version?: string): Promise<string | undefined> {
    const { CodeSha256 } = await this.#client.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }),
    );
    return CodeSha256;
  }

  async reservedConcurrency(functionName: string): Promise<number | undefined> {
    const { ReservedConcurrentExecutions } = await this.#client.send(
      new GetFunctionConcurrencyCommand({ FunctionName: functionName }),
    );
    return ReservedConcurrentExecutions;
  }

  async policy(functionName: string, qualifier?: string): Promise<unknown> {
    const answer = await orNone(() =>
      this.#client.send(new GetPolicyCommand({ FunctionName: functionName, Qualifier: qualifier })),
    );
    return answer?.Policy === undefined ? undefined : JSON.parse(answer.Policy);
  }
}
