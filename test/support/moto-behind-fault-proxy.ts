import { afterAll, beforeAll, beforeEach } from 'vitest';
import { useMoto } from './aws-env.js';
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from './fault-proxy.js';

/** A fault proxy whose start and stop belong to the hooks that `useFaultProxy` registers. */
export type HookedFaultProxy = Omit<FaultProxy, 'close'>;

/**
 * Points the AWS SDK at the run's moto server, as `useMoto` does, and puts a fault proxy in front
 * of it for the file or `describe` block it is called in: started before the first test, closed
 * after the last, and reset before each test (no rule, no rewrite, no injections) so that one test's faults
 * never reach the next. What it records (`seen`, `faulted`) runs on across the tests of the
 * file: compare counts before and after. The handle forwards to the started proxy: use it in
 * tests and hooks.
 */
export const useFaultProxy = (options: Omit<FaultProxyOptions, 'rule'> = {}): HookedFaultProxy => {
  const motoEndpoint = useMoto();
  let started: FaultProxy | undefined;
  const proxy = (): FaultProxy => {
    if (started === undefined) {
      throw new Error('The fault proxy starts in beforeAll: use it inside a test or a hook');
    }
    return started;
  };
  beforeAll(async () => {
    started = await startFaultProxy(motoEndpoint, options);
  });
  beforeEach(() => {
    proxy().setRule(() => undefined);
    proxy().setRewrite();
    proxy().inject();
  });
  afterAll(() => started?.close());
  return {
    get endpoint() {
      return proxy().endpoint;
    },
    setRule: (rule) => proxy().setRule(rule),
    setRewrite: (rewrite) => proxy().setRewrite(rewrite),
    inject: (...injections) => proxy().inject(...injections),
    get faulted() {
      return proxy().faulted;
    },
    get seen() {
      return proxy().seen;
    },
    arrival: (service, operation) => proxy().arrival(service, operation),
  };
};
