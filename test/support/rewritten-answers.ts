import { Readable } from 'node:stream';

interface RawResponse {
  response: { body?: unknown };
}

interface DeserializeStack {
  add(
    middleware: (
      next: (args: unknown) => Promise<RawResponse>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<RawResponse>,
    options: { step: 'deserialize'; priority: 'low'; name: string },
  ): void;
}

const text = async (body: unknown): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
};

/**
 * Rewrites moto's raw answer to `command` before the SDK parses it, for what AWS answers and moto
 * cannot be brought to: the request really goes to moto, and the SDK's own deserializer reads
 * the rewritten wire text. Sits inside the deserializer (same step, lower priority), so it sees
 * the HTTP response as it came.
 */
export const rewritingAnswers = <C extends { middlewareStack: object }>(
  client: C,
  command: string,
  rewrite: (body: string) => string,
): C => {
  (client.middlewareStack as DeserializeStack).add(
    (next, context) => async (args) => {
      const answer = await next(args);
      if (context.commandName !== command || answer.response.body === undefined) return answer;
      answer.response.body = Readable.from([
        Buffer.from(rewrite(await text(answer.response.body))),
      ]);
      return answer;
    },
    { step: 'deserialize', priority: 'low', name: 'rewriteAnswers' },
  );
  return client;
};
