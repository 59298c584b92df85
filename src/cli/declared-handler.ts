import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { escapeText } from '../alert/text/escape.js';
import { UsageError } from './usage-error.js';

/** The stack's template, beside `src/` in the repository the CLI runs from. */
const TEMPLATE = new URL('../../template.yaml', import.meta.url);

/** What template.yaml declares for a function: where its code starts and what Lambda calls. */
export interface DeclaredHandler {
  logicalId: string;
  /** Its esbuild entry point (`Metadata.BuildProperties.EntryPoints`), as a module URL. */
  entry: URL;
  /** The export its `Handler` names: `real-time.handler` is `handler` of the bundle `real-time`. */
  exportName: string;
  /**
   * What invokes it: a `Schedule` event, an `SQS` event source, or else a rule of the stack
   * that names it as a target.
   */
  trigger: 'rule' | 'schedule' | 'queue';
}

type Resource = {
  Type?: unknown;
  Metadata?: { BuildProperties?: { EntryPoints?: unknown } };
  Properties?: { Handler?: unknown; Events?: Record<string, { Type?: unknown }> };
};

const triggerOf = (resource: Resource): DeclaredHandler['trigger'] => {
  const types = Object.values(resource.Properties?.Events ?? {}).map((event) => event.Type);
  if (types.includes('Schedule')) return 'schedule';
  return types.includes('SQS') ? 'queue' : 'rule';
};

/**
 * The handler template.yaml declares for the function `logicalId`, so that `invoke` runs
 * exactly the code Lambda runs for it.
 *
 * @throws UsageError naming the functions the template has, when it has no such one
 */
export const declaredHandler = async (logicalId: string): Promise<DeclaredHandler> => {
  // CloudFormation's short-form tags (!Ref, !Sub) do not matter here: kept as plain values.
  const template = parse(await readFile(TEMPLATE, 'utf8'), {
    customTags: (tags) => tags,
    logLevel: 'silent',
  }) as { Resources?: Record<string, Resource> };
  const functions = Object.entries(template.Resources ?? {}).filter(
    ([, resource]) => resource.Type === 'AWS::Serverless::Function',
  );
  const resource = functions.find(([id]) => id === logicalId)?.[1];
  if (resource === undefined) {
    throw new UsageError(
      `template.yaml has no function ${JSON.stringify(escapeText(logicalId, 200))}; it has ${functions.map(([id]) => id).join(', ')}`,
    );
  }
  const [entry] = (resource.Metadata?.BuildProperties?.EntryPoints ?? []) as unknown[];
  const handler = resource.Properties?.Handler;
  if (typeof entry !== 'string' || typeof handler !== 'string' || !handler.includes('.')) {
    throw new Error(`template.yaml: ${logicalId} declares no esbuild entry point and Handler`);
  }
  return {
    logicalId,
    entry: new URL(`../../${entry}`, import.meta.url),
    exportName: handler.slice(handler.lastIndexOf('.') + 1),
    trigger: triggerOf(resource),
  };
};
