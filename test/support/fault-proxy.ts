import {
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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

/**
 * Changes moto's answer to a request before it goes back, for a field AWS sends and moto does
 * not (a stack's DriftInformation); undefined leaves the answer as moto gave it.
 */
export type AnswerRewrite = (request: ProxiedRequest, body: string) => string | undefined;

/**
 * The common faults, by name:
 * - `internal-error`, `unavailable`: a 500 or 503 in the service's own error shape;
 * - `throttle`: a 400 throttling error (ThrottlingException; DynamoDB's
 *   ProvisionedThroughputExceededException too; SNS's Throttling);
 * - `lose-answer`: moto handles the request (a write is committed), then the connection is cut
 *   before the answer goes back, as with a reset connection;
 * - `stall`: the request never reaches moto and is held unanswered, past the SDK's timeout;
 *   the connection is cut after `stallMs`.
 */
export type Fault = 'internal-error' | 'unavailable' | 'throttle' | 'lose-answer' | 'stall';

/** Faults injected by name, per service and operation, at a rate. */
export interface Injection {
  /** The signing name of the service: `dynamodb`, `sns`, `ssm`... */
  service: string;
  /** The operation (`UpdateItem`, `Publish`, `GetParameter`); any operation when absent. */
  operation?: string;
  /** The fault, or several: each faulted request then meets one of them, drawn at random. */
  fault: Fault | readonly Fault[];
  /** The share of matching requests that meet the fault, drawn from the seeded generator. */
  rate?: number;
  /** At most this many faults from the injection; without it, no limit. */
  times?: number;
  /** The first `after` matching requests pass untouched (say, the claim before its release). */
  after?: number;
  /** Only requests whose body matches (a DynamoDB item's key, say); any body when absent. */
  body?: RegExp;
}

export interface FaultProxy {
  /** Give it to a client as `endpoint`: requests go through the rule, then to moto. */
  endpoint: string;
  /** Replaces the rule; `() => undefined` lets everything through. Asked before injections. */
  setRule(rule: FaultRule): void;
  /** Replaces the rewrite of moto's answers; none when absent. */
  setRewrite(rewrite?: AnswerRewrite): void;
  /** Replaces the injections; the first that matches a request and draws a fault applies. */
  inject(...injections: Injection[]): void;
  /** Requests answered with a fault by the rule so far. */
  readonly faulted: ProxiedRequest[];
  /** Every request so far, in order of arrival, with the fault injected into it, if any. */
  readonly seen: readonly { service: string; operation: string; fault: Fault | undefined }[];
  /** Resolves when a request for the operation arrives (from now on). */
  arrival(service: string, operation: string): Promise<void>;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The rule the proxy starts with; everything passes when absent. */
  rule?: FaultRule;
  /**
   * Seeds the generator that draws injected faults: the same seed replays the same faults.
   * @default 1
   */
  seed?: number;
  /**
   * How long a `stall` holds a request before cutting its connection, in milliseconds.
   * @default 2_000
   */
  stallMs?: number;
}

/** mulberry32: a small seeded generator, so that a failing fault run can be replayed. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

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

/**
 * An error as a Query-protocol service (SNS, IAM) sends it: XML with the error's Query code. The
 * namespace is SNS's; the SDK reads the code and message, not the namespace.
 */
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

/** The caller IAM names in a refusal: the function's role session. */
const CALLER = 'arn:aws:sts::111122223333:assumed-role/root-monitor-role/root-monitor';

/** IAM's message for a call no policy of the caller allows. */
const notAuthorized = (action: string): string =>
  `User: ${CALLER} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;

/**
 * A JSON-protocol service's answer (CloudTrail, SSM, DynamoDB...) to a call the caller's IAM
 * policy does not allow: AccessDeniedException, HTTP 400, with the message IAM writes.
 */
export const accessDenied = (action: string): FaultAnswer =>
  jsonError('AccessDeniedException', notAuthorized(action), 400);

/**
 * Every service's answer to a call the caller's IAM policy does not allow, in its protocol's
 * shape: SNS's AuthorizationError (Query, 403), EC2's UnauthorizedOperation (its own XML, 403),
 * and AccessDeniedException from the JSON-protocol services (CloudTrail, EventBridge, SQS,
 * DynamoDB, SSM).
 */
export const deniedInItsProtocol = ({ service, operation }: ProxiedRequest): FaultAnswer => {
  const action = `${service}:${operation}`;
  const message = notAuthorized(action);
  if (service === 'sns') return queryError('AuthorizationError', message, 403);
  if (service === 'cloudformation') return queryError('AccessDenied', message, 403);
  if (service === 'ec2') {
    return {
      status: 403,
      headers: { 'content-type': 'text/xml;charset=UTF-8' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. ${xmlEscaped(message)}</Message></Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>`,
    };
  }
  return accessDenied(action);
};

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
} as const;

/**
 * SNS's answer to a Publish the topic's access policy (or the caller's IAM policy) does not
 * allow: AuthorizationErrorException, the Query code `AuthorizationError` with HTTP 403, as the
 * SNS API reference gives it. Root can rewrite a topic's policy to refuse the function.
 */
export const SNS_AUTHORIZATION_ERROR = queryError(
  'AuthorizationError',
  `User: ${CALLER} is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:111122223333:root-monitor-alerts because no resource-based policy allows the SNS:Publish action`,
  403,
);

/** SNS's answer when KMS throttles its encryption: busy, not a key root has touched. */
export const SNS_KMS_THROTTLING = queryError(
  'KMSThrottling',
  'The request was denied due to request throttling.',
  400,
);

/** A named fault's error, in the shape of the service's protocol. */
const answerFor = (fault: Fault, service: string, random: () => number): FaultAnswer => {
  const query = service === 'sns';
  if (fault === 'internal-error') {
    return query
      ? queryError('InternalError', 'Internal error', 500, 'Receiver')
      : jsonError('InternalServerError', 'Internal server error', 500);
  }
  if (fault === 'unavailable') {
    return query
      ? queryError('ServiceUnavailable', 'Service unavailable', 503, 'Receiver')
      : jsonError('ServiceUnavailable', 'Service unavailable', 503);
  }
  if (query) return queryError('Throttling', 'Rate exceeded', 400);
  if (service === 'dynamodb' && random() < 0.5) {
    return jsonError(
      'ProvisionedThroughputExceededException',
      'The level of configured provisioned throughput for the table was exceeded.',
      400,
    );
  }
  return jsonError('ThrottlingException', 'Rate exceeded', 400);
};

const readBody = (stream: NodeJS.ReadableStream): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/** Sends a request on to moto; resolves with its whole answer. */
const passOn = (
  upstream: URL,
  incoming: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const onward = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        readBody(answer).then(
          (answerBody) =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: answer.headers,
              body: answerBody,
            }),
          reject,
        );
      },
    );
    onward.on('error', reject);
    onward.end(body);
  });

/**
 * A loopback HTTP proxy in front of moto that injects AWS faults on the wire, so the real SDK
 * client parses the error, times out or loses the answer, and applies its own retries, as it
 * would against AWS. A rule answers chosen requests with a given error; injections apply named
 * faults per service and operation at a rate drawn from a seeded generator (the same seed and
 * the same requests give the same faults). Everything else reaches moto unchanged.
 *
 * DynamoDB requests reach moto one at a time: moto evaluates a conditional write and applies it
 * in separate steps that a concurrent request can come between, where DynamoDB applies it
 * atomically. In turn, races between claims play out as on AWS.
 */
export const startFaultProxy = async (
  target: string,
  options: FaultRule | FaultProxyOptions = {},
): Promise<FaultProxy> => {
  const {
    rule = () => undefined,
    seed = 1,
    stallMs = 2_000,
  } = typeof options === 'function' ? { rule: options } : options;
  const upstream = new URL(target);
  const random = seededRandom(seed);
  let current = rule;
  let rewrite: AnswerRewrite | undefined;
  let injections: { injection: Injection; left: number; passing: number }[] = [];
  const faulted: ProxiedRequest[] = [];
  const seen: { service: string; operation: string; fault: Fault | undefined }[] = [];
  const waiting: { service: string; operation: string; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work, work);
    turn = next.catch(() => undefined);
    return next;
  };

  const injected = ({ service, operation, body }: ProxiedRequest): Fault | undefined => {
    for (const entry of injections) {
      const { injection } = entry;
      if (injection.service !== service) continue;
      if (injection.operation !== undefined && injection.operation !== operation) continue;
      if (injection.body !== undefined && !injection.body.test(body)) continue;
      if (entry.left <= 0) continue;
      if (entry.passing > 0) {
        entry.passing -= 1;
        continue;
      }
      if (random() >= (injection.rate ?? 1)) continue;
      entry.left -= 1;
      const { fault } = injection;
      return typeof fault === 'string' ? fault : fault[Math.floor(random() * fault.length)];
    }
    return undefined;
  };

  const server = createServer(async (incoming, outgoing) => {
    const body = await readBody(incoming);
    const request: ProxiedRequest = {
      service: serviceOf(incoming.headers),
      operation: operationOf(incoming.headers, body.toString('utf8')),
      body: body.toString('utf8'),
    };
    for (const wait of waiting.filter(
      (w) => w.service === request.service && w.operation === request.operation,
    )) {
      waiting.splice(waiting.indexOf(wait), 1);
      wait.resolve();
    }
    const answer = current(request);
    if (answer !== undefined) {
      faulted.push(request);
      seen.push({ service: request.service, operation: request.operation, fault: undefined });
      outgoing.writeHead(answer.status, { ...answer.headers, 'x-amzn-requestid': 'fault-proxy' });
      outgoing.end(answer.body);
      return;
    }
    const fault = injected(request);
    seen.push({ service: request.service, operation: request.operation, fault });
    if (fault === 'stall') {
      setTimeout(() => incoming.socket.destroy(), stallMs).unref();
      return;
    }
    if (fault !== undefined && fault !== 'lose-answer') {
      const error = answerFor(fault, request.service, random);
      outgoing.writeHead(error.status, { ...error.headers, 'x-amzn-requestid': 'fault-proxy' });
      outgoing.end(error.body);
      return;
    }
    try {
      const onward = () => passOn(upstream, incoming, body);
      const reply = await (request.service === 'dynamodb' ? inTurn(onward) : onward());
      if (fault === 'lose-answer') {
        incoming.socket.destroy();
        return;
      }
      const rewritten = rewrite?.(request, reply.body.toString('utf8'));
      if (rewritten === undefined) {
        outgoing.writeHead(reply.status, reply.headers);
        outgoing.end(reply.body);
      } else {
        const body = Buffer.from(rewritten);
        const { 'transfer-encoding': _chunked, ...headers } = reply.headers;
        outgoing.writeHead(reply.status, { ...headers, 'content-length': String(body.length) });
        outgoing.end(body);
      }
    } catch (error) {
      outgoing.destroy(error as Error);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRule: (next) => {
      current = next;
    },
    setRewrite: (next) => {
      rewrite = next;
    },
    inject: (...next) => {
      injections = next.map((injection) => ({
        injection,
        left: injection.times ?? Number.POSITIVE_INFINITY,
        passing: injection.after ?? 0,
      }));
    },
    faulted,
    seen,
    arrival: (service, operation) =>
      new Promise((resolve) => waiting.push({ service, operation, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
