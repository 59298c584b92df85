import { createServer, request as forward, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request on its way to moto, as a fault rule sees it. */
export interface ProxiedRequest {
  /** The signing name in the Authorization header: `sns`, `ssm`, `dynamodb`... */
  service: string;
  /** `Publish`, `GetParameter`...: the Query protocol's Action, or the JSON protocol's target. */
  operation: string;
  /** The request body: form-encoded for the Query protocol, JSON otherwise. */
  body: string;
}

/** What the proxy answers instead of moto: an AWS error on the wire. */
export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Decides, request by request, whether to answer with a fault; undefined lets it through. */
export type FaultRule = (request: ProxiedRequest) => FaultAnswer | undefined;

export interface FaultProxy {
  /** Give it to a client as `endpoint`: requests go through the rule, then to moto. */
  endpoint: string;
  /** Replaces the rule; `() => undefined` lets everything through. */
  setRule(rule: FaultRule): void;
  /** Requests answered with a fault so far. */
  readonly faulted: ProxiedRequest[];
  close(): Promise<void>;
}

const serviceOf = (headers: IncomingHttpHeaders): string =>
  /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(headers.authorization ?? '')?.[1] ?? '';

const operationOf = (headers: IncomingHttpHeaders, body: string): string => {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  return new URLSearchParams(body).get('Action') ?? '';
};

/** The value of one form field of a Query-protocol request (`TopicArn` of a Publish). */
export const formField = (request: ProxiedRequest, name: string): string | undefined =>
  new URLSearchParams(request.body).get(name) ?? undefined;

const xmlEscaped = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An error as a Query-protocol service (SNS) sends it: XML with the error's Query code. */
export const queryError = (
  code: string,
  message: string,
  status: number,
  type: 'Sender' | 'Receiver' = 'Sender',
): FaultAnswer => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${xmlEscaped(code)}</Code><Message>${xmlEscaped(message)}</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>`,
});

/** An error as a JSON-protocol service (SSM, DynamoDB) sends it. */
export const jsonError = (type: string, message: string, status: number): FaultAnswer => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type },
  body: JSON.stringify({ __type: type, message }),
});

/**
 * SNS's answers to a Publish whose topic key KMS will not use, by the SDK's exception name:
 * the Query protocol's error code and HTTP status, as the SNS API model gives them.
 */
export const SNS_KMS_ERRORS = {
  KMSDisabledException: queryError(
    'KMSDisabled',
    'The request was rejected because the specified Amazon Web Services KMS key isn’t enabled.',
    400,
  ),
  KMSInvalidStateException: queryError(
    'KMSInvalidState',
    'The request was rejected because the state of the specified resource isn’t valid for this request.',
    400,
  ),
  KMSNotFoundException: queryError(
    'KMSNotFound',
    'The request was rejected because the specified entity or resource can’t be found.',
    400,
  ),
  KMSAccessDeniedException: queryError(
    'KMSAccessDenied',
    'The ciphertext references a key that doesn’t exist or that you don’t have access to.',
    400,
  ),
  KMSOptInRequired: queryError(
    'KMSOptInRequired',
    'The Amazon Web Services access key ID needs a subscription for the service.',
    403,
  ),
  KMSThrottlingException: queryError(
    'KMSThrottling',
    'The request was denied due to request throttling.',
    400,
  ),
} as const;

const readBody = (stream: NodeJS.ReadableStream): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/**
 * A loopback HTTP proxy in front of moto that answers chosen requests with AWS errors, so the
 * real SDK client parses the error off the wire and applies its own retries, as it would
 * against AWS. Everything else reaches moto unchanged.
 */
export const startFaultProxy = async (
  target: string,
  rule: FaultRule = () => undefined,
): Promise<FaultProxy> => {
  const upstream = new URL(target);
  let current = rule;
  const faulted: ProxiedRequest[] = [];
  const server = createServer(async (incoming, outgoing) => {
    const body = await readBody(incoming);
    const request: ProxiedRequest = {
      service: serviceOf(incoming.headers),
      operation: operationOf(incoming.headers, body.toString('utf8')),
      body: body.toString('utf8'),
    };
    const fault = current(request);
    if (fault !== undefined) {
      faulted.push(request);
      outgoing.writeHead(fault.status, { ...fault.headers, 'x-amzn-requestid': 'fault-proxy' });
      outgoing.end(fault.body);
      return;
    }
    const onward = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    onward.on('error', (error) => outgoing.destroy(error));
    onward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRule: (next) => {
      current = next;
    },
    faulted,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
