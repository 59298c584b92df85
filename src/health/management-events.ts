import type { ManagementCoverage } from './ports.js';

/** The fields of CloudTrail's basic event selector that decide management events. */
export interface BasicSelector {
  ReadWriteType?: string | undefined;
  IncludeManagementEvents?: boolean | undefined;
  ExcludeManagementEventSources?: string[] | undefined;
}

export interface FieldSelector {
  Field: string | undefined;
  Equals?: string[] | undefined;
  NotEquals?: string[] | undefined;
  StartsWith?: string[] | undefined;
  NotStartsWith?: string[] | undefined;
  EndsWith?: string[] | undefined;
  NotEndsWith?: string[] | undefined;
}

export interface AdvancedSelector {
  FieldSelectors: FieldSelector[] | undefined;
}

const ALL: ManagementCoverage = { reads: true, writes: true, filters: [] };

const describeCondition = (field: FieldSelector): string => {
  const parts = Object.entries(field)
    .filter(([key, value]) => key !== 'Field' && Array.isArray(value))
    .map(([key, value]) => `${key} ${(value as string[]).join(', ')}`);
  return `${field.Field ?? '?'} ${parts.join('; ')}`;
};

/** Reads and writes of one advanced selector, from its readOnly field (absent: both). */
const readOnlyScope = (
  field: FieldSelector | undefined,
): Pick<ManagementCoverage, 'reads' | 'writes'> => {
  if (field === undefined) return { reads: true, writes: true };
  const values = field.Equals ?? [];
  const excluded = field.NotEquals ?? [];
  return {
    reads: values.includes('true') || (values.length === 0 && !excluded.includes('true')),
    writes: values.includes('false') || (values.length === 0 && !excluded.includes('false')),
  };
};

/**
 * Which management events a trail records. Basic and advanced selectors are exclusive on a trail;
 * a trail with neither records every management event (AWS answers with that default selector;
 * moto answers with none). Any condition besides the category and readOnly (an event source
 * excluded, say kms.amazonaws.com) leaves root activity unseen, so it is reported as a filter.
 */
export const managementCoverage = (
  basic: readonly BasicSelector[],
  advanced: readonly AdvancedSelector[],
): ManagementCoverage => {
  if (basic.length === 0 && advanced.length === 0) return ALL;
  let reads = false;
  let writes = false;
  const filters: string[] = [];
  for (const selector of basic) {
    if (selector.IncludeManagementEvents === false) continue;
    const type = selector.ReadWriteType ?? 'All';
    reads ||= type === 'All' || type === 'ReadOnly';
    writes ||= type === 'All' || type === 'WriteOnly';
    const excluded = selector.ExcludeManagementEventSources ?? [];
    if (excluded.length > 0) filters.push(`excludes ${excluded.join(', ')}`);
  }
  for (const { FieldSelectors = [] } of advanced) {
    const category = FieldSelectors.find((field) => field.Field === 'eventCategory');
    if (!(category?.Equals ?? []).includes('Management')) continue;
    const scope = readOnlyScope(FieldSelectors.find((field) => field.Field === 'readOnly'));
    reads ||= scope.reads;
    writes ||= scope.writes;
    for (const field of FieldSelectors) {
      if (field.Field !== 'eventCategory' && field.Field !== 'readOnly') {
        filters.push(`selects on ${describeCondition(field)}`);
      }
    }
  }
  return { reads, writes, filters };
};
