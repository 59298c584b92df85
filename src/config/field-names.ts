/**
 * The field names a valibot schema allows at a place in the document, read from the schema
 * itself so that a suggestion can never name a field the schema would refuse.
 *
 * Only the parts of a schema object that nest are read: `entries` of an object, `item` of an
 * array, `value` of a record, `wrapped` of an optional, and the steps of a `pipe`.
 */
type SchemaNode = Readonly<Record<string, unknown>>;

const asNode = (value: unknown): SchemaNode[] =>
  typeof value === 'object' && value !== null ? [value as SchemaNode] : [];

/** The schemas a value passes through: an optional's inner schema, a pipe's schema steps. */
const layers = (node: SchemaNode): SchemaNode[] => {
  if (Array.isArray(node.pipe)) return node.pipe.flatMap(asNode).flatMap(layers);
  if (node.type === 'optional') return asNode(node.wrapped).flatMap(layers);
  return [node];
};

const childOf = (node: SchemaNode, key: PropertyKey): SchemaNode[] => {
  if (node.type === 'array') return typeof key === 'number' ? asNode(node.item) : [];
  if (node.type === 'record') return asNode(node.value);
  const entries = asNode(node.entries)[0];
  return entries !== undefined && typeof key === 'string' && Object.hasOwn(entries, key)
    ? asNode(entries[key])
    : [];
};

/** The fields of the object at `path` (`['allow', 2]`), or none when the schema has no object there. */
export const fieldNamesAt = (schema: unknown, path: readonly PropertyKey[]): string[] => {
  let nodes = asNode(schema).flatMap(layers);
  for (const key of path) nodes = nodes.flatMap((node) => childOf(node, key)).flatMap(layers);
  return nodes.flatMap((node) =>
    node.type === 'strict_object' || node.type === 'object'
      ? Object.keys(asNode(node.entries)[0] ?? {})
      : [],
  );
};
