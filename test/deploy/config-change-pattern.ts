import { loadTemplate, resourceOf, type TemplateValue } from './cloudformation-template.js';

const TEMPLATE_PATTERN = resourceOf(loadTemplate('template.yaml'), 'ConfigChangeRule').Properties
  ?.EventPattern;

/**
 * The template's value with ConfigParameterName and AWS::AccountId resolved, as CloudFormation
 * would deploy it.
 */
const resolve = (value: TemplateValue | undefined, name: string, account: string): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolve(item, name, account));
  if (typeof value !== 'object' || value === null) return value;
  if (value.Ref === 'ConfigParameterName') return name;
  if (value.Ref === 'AWS::AccountId') return account;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub variable
    return sub.replaceAll('${ConfigParameterName}', name);
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolve(item, name, account)]),
  );
};

/**
 * The configuration-change rule's pattern, read from template.yaml, for a parameter name and
 * the account the stack is deployed in.
 */
export const configChangePattern = (parameterName: string, account: string): unknown =>
  resolve(TEMPLATE_PATTERN, parameterName, account);
