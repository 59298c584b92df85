import type { FirstSeen, Sighting, SourceMemory } from './first-seen.js';

/**
 * The sources of an archive as replay reads it: each source's earliest event read so far, per
 * account. An event is first seen in the archive when no event from its source that happened
 * before it has been read, however long ago: replay knows no deployment's memory, only the
 * archive. Files are read in path order, so an earlier event can be read after a later one (a
 * CloudTrail archive's folders go by account and Region before day); both are then marked, the
 * earliest always among them.
 */
export class ArchiveMemory implements SourceMemory {
  readonly #earliest = new Map<string, number>();

  async sighting({ accountId, source, at }: Sighting): Promise<FirstSeen | undefined> {
    const key = `${accountId}#${source}`;
    const earliest = this.#earliest.get(key);
    if (earliest !== undefined && earliest <= at) return undefined;
    this.#earliest.set(key, at);
    return { kind: 'in-archive', source };
  }
}
