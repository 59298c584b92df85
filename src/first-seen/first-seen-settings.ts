/** How long sources are remembered, and how long a new deployment learns them first. */
export interface FirstSeenSettings {
  /**
   * Days a source stays known after root last used it; a source not used for longer is first
   * seen again. At least a day, the longest collapse window, so that a source cannot be
   * forgotten while a window of its own is open.
   * @default 90
   */
  days: number;
  /**
   * Days after the monitor's first sighting during which first-seen sources are marked but not
   * raised; 0 raises from the first.
   * @default 7
   */
  learningDays: number;
}

export const FIRST_SEEN_DEFAULTS: FirstSeenSettings = { days: 90, learningDays: 7 };

/**
 * Each setting's bounds, which template.yaml gives its parameters too (FirstSeenDays,
 * FirstSeenLearningDays; a test holds the two together); `readSettings` reads them.
 */
export const FIRST_SEEN_BOUNDS = {
  days: { min: 1, max: 3650 },
  learningDays: { min: 0, max: 365 },
} as const satisfies Record<keyof FirstSeenSettings, { min: number; max: number }>;
