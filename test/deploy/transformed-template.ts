import type { Template } from './cloudformation-template.js';
import { runPython } from './python-tool.js';

/**
 * template.yaml as CloudFormation runs it: after the SAM transform (aws-sam-translator, the
 * library behind CloudFormation's AWS::Serverless transform).
 */
export const transformedTemplate = (): Template => {
  const run = runPython('samtranslator', ['test/deploy/sam-translate.py', 'template.yaml']);
  if (run.status !== 0) {
    throw new Error(`the SAM transform rejected template.yaml:\n${run.stderr}`);
  }
  return JSON.parse(run.stdout) as Template;
};
