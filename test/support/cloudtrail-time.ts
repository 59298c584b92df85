/** CloudTrail's time format (whole seconds, UTC), `minutesAgo` before now. */
export const timeAgo = (minutesAgo: number): string =>
  `${new Date(Date.now() - minutesAgo * 60_000).toISOString().slice(0, 19)}Z`;
