/** Sources named at most: a parameter path can hold many documents. */
const MAX_SOURCES = 50;

/**
 * The configuration sources an alert names, each as `render` writes it, and a last line that
 * counts the rest when there are more than {@link MAX_SOURCES}.
 */
export const namedSources = (
  sources: readonly string[],
  render: (source: string) => string,
): string[] =>
  sources.length <= MAX_SOURCES
    ? sources.map(render)
    : [...sources.slice(0, MAX_SOURCES).map(render), `... ${sources.length - MAX_SOURCES} more`];
