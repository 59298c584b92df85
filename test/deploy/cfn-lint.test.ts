import { describe, expect, it } from 'vitest';
import { TEMPLATES } from './cloudformation-template.js';
import { runPython } from './python-tool.js';

describe('cfn-lint', () => {
  it.each(TEMPLATES)('finds nothing to report in %s, informational checks included', (template) => {
    const lint = runPython('cfnlint', [
      '-c',
      'import sys; from cfnlint.runner import main; sys.exit(main())',
      '--include-checks',
      'I',
      '--',
      template,
    ]);

    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });
});
