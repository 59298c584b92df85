import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template } from './cloudformation-template.js';
import { runPython } from './python-tool.js';

const transform = (path: string): Template => {
  const run = runPython('samtranslator', ['test/deploy/sam-translate.py', path]);
  if (run.status !== 0) {
    throw new Error(`the SAM transform rejected ${path}:\n${run.stderr}`);
  }
  return JSON.parse(run.stdout) as Template;
};

/**
 * template.yaml as CloudFormation runs it: after the SAM transform (aws-sam-translator, the
 * library behind CloudFormation's AWS::Serverless transform).
 */
export const transformedTemplate = (): Template => transform('template.yaml');

/** A template's text, edited by a test, as CloudFormation would run it after the transform. */
export const transformedText = (text: string): Template => {
  const dir = mkdtempSync(join(tmpdir(), 'sam-transform-'));
  try {
    const path = join(dir, 'template.yaml');
    writeFileSync(path, text);
    return transform(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
