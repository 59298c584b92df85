import { loadTemplate, resourceOf, type TemplateValue } from './cloudformation-template.js';

const TEMPLATE_PATTERN = resourceOf(loadTemplate('template.yaml'), 'ConfigChangeRule').Properties
  ?.EventPattern;

/** The template's value with ConfigParameterName resolved, as CloudFormation would deploy it. */
const resolve = (value: TemplateValue | undefined, name: string): unknown => {
  if (Array.isArray(value)) return value.map((item) => resolve(item, name));
  if (typeof value !== 'object' || value === null) return value;
  if (value.Ref === 'ConfigParameterName') return name;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub variable
    return sub.replaceAll('${ConfigParameterName}', name);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, name)]));
};

/** The configuration-change rule's pattern, read from template.yaml, for a parameter name. */
export const configChangePattern = (parameterName: string): unknown =>
  resolve(TEMPLATE_PATTERN, parameterName);
