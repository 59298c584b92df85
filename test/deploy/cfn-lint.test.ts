import { describe, expect, it } from 'vitest';
import { TEMPLATES } from './cloudformation-template.js';
import { cfnLint } from './python-tool.js';

describe('cfn-lint', () => {
  it.each(TEMPLATES)('finds nothing to report in %s, informational checks included', (template) => {
    const lint = cfnLint(template);

    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });
});
