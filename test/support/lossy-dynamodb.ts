import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const lostAnswer = () =>
  Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });

/**
 * A DynamoDB client whose `command` reaches moto and is committed, but whose answer is lost on
 * the way back, as with a timeout or a reset connection: the first answer only (the SDK then
 * retries the same request), or every one (with a single attempt, the caller never learns).
 */
export const losingAnswers = (command: string, which: 'first' | 'every'): DynamoDBClient => {
  const lossy = new DynamoDBClient(which === 'every' ? { maxAttempts: 1 } : {});
  let lost = 0;
  lossy.middlewareStack.add(
    (next, context) => async (args) => {
      const answer = await next(args);
      if (context.commandName === command && (which === 'every' || lost === 0)) {
        lost += 1;
        throw lostAnswer();
      }
      return answer;
    },
    { step: 'deserialize', name: 'loseAnswers' },
  );
  return lossy;
};
