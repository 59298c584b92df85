/**
 * How a duration reads: `abbreviated` in a digest's sentences (`45 s`, `12 min`, `3 h 05 min`,
 * `2 d 4 h`), `words` in the sentence that says how late an alert is (`42 seconds`,
 * `17 minutes`, `2 hours 5 minutes`, `3 days 4 hours`).
 */
export type DurationStyle = 'abbreviated' | 'words';

/**
 * A duration for a person, from milliseconds, never negative. Abbreviated, minutes are rounded
 * and hours counted up to two days; in words, two units at most, each whole, the rest dropped.
 */
export const durationText = (ms: number, style: DurationStyle = 'abbreviated'): string => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return style === 'words' ? inWords(seconds) : abbreviated(seconds);
};

const abbreviated = (seconds: number): string => {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
};

const unit = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;

const inWords = (seconds: number): string => {
  if (seconds < 60) return unit(seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return [unit(hours, 'hour'), ...(minutes % 60 ? [unit(minutes % 60, 'minute')] : [])].join(' ');
  const days = Math.floor(hours / 24);
  return [unit(days, 'day'), ...(hours % 24 ? [unit(hours % 24, 'hour')] : [])].join(' ');
};
