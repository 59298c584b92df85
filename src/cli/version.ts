import { readFile } from 'node:fs/promises';

/**
 * The package's version, read from its package.json at run time. The file sits two folders above
 * this module both in a clone and in an installed package (npm always packs package.json), so
 * the version printed is the one installed, with nothing to keep in step at release.
 */
export const packageVersion = async (): Promise<string> => {
  const manifest: unknown = JSON.parse(
    await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  const version =
    typeof manifest === 'object' && manifest !== null && 'version' in manifest
      ? manifest.version
      : undefined;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  return version;
};
