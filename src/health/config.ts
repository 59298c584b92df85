import { parseConfig } from '../config/parse-config.js';
import type { Rule } from '../engine/rule.js';
import type { DocumentSource } from '../pipeline/ports.js';
import { type Check, fail, pass } from './check.js';

/**
 * `config`: the configuration the function would read now, validated as it would validate it.
 * An invalid or missing document fails closed (every root event alerts), which is safe but not
 * what its owners meant.
 */
export const configCheck = (
  source: DocumentSource,
  { configParameter, catalog }: { configParameter: string; catalog: readonly Rule[] },
): Check => ({
  id: 'config',
  actions: ['ssm:GetParameter', 'ssm:GetParametersByPath'],
  async run(now) {
    // One parameter, or one of those under a path: config push names a single parameter.
    const name = configParameter.endsWith('/') ? `${configParameter}NAME` : configParameter;
    const { documents, missing } = await source.load();
    if (missing) {
      return fail(
        `${configParameter} holds no configuration document: the monitor runs on its defaults (nothing allowlisted)`,
        `push one: root-monitor config push --parameter ${name} FILE; then look in CloudTrail for who called DeleteParameter`,
      );
    }
    const result = parseConfig(documents, catalog, now);
    if (!result.valid) {
      const count = result.problems.length;
      return fail(
        `${configParameter} is invalid (${count} problem${count === 1 ? '' : 's'}, the first: ${result.problems[0] ?? ''}): the monitor allows nothing, so every root event alerts`,
        `root-monitor config show --parameter ${name} > doc.json, then root-monitor config validate doc.json lists every problem; fix it and root-monitor config push --parameter ${name} doc.json`,
      );
    }
    const entries = result.config.allow.length;
    const warnings = result.warnings.length;
    return pass(
      `${configParameter} is valid: ${entries} allowlist entr${entries === 1 ? 'y' : 'ies'}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'} (${result.warnings[0]})` : ''}`,
    );
  },
});
