import { spawnSync } from 'node:child_process';
import { INSTALL_HINT } from '../../src/cli/local/emulator.js';
import { REPO_ROOT } from './cloudformation-template.js';

export interface PythonRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs python3 in the repository root after checking that `module` imports, so a missing tool
 * fails with the command that installs it instead of a traceback.
 */
export const runPython = (module: string, args: readonly string[]): PythonRun => {
  const probe = spawnSync('python3', ['-c', `import ${module}`], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `python3 cannot import ${module} (${probe.stderr.trim() || probe.error?.message}). Install it with: ${INSTALL_HINT}`,
    );
  }
  const run = spawnSync('python3', [...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

/** cfn-lint on one template file, its informational checks included. */
export const cfnLint = (templateFile: string): PythonRun =>
  runPython('cfnlint', [
    '-c',
    'import sys; from cfnlint.runner import main; sys.exit(main())',
    '--include-checks',
    'I',
    '--',
    templateFile,
  ]);
