const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Day = (typeof DAYS)[number];
export { DAYS };

/** A weekly window, in wall-clock time of its IANA time zone, as an allowlist entry gives it. */
export interface WeeklyWindow {
  /** The days it starts on. */
  days: readonly Day[];
  /** `HH:MM`, 24-hour. */
  start: string;
  end: string;
  timezone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: building one costs far more than using it. */
const formatterFor = (timezone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
};

export const isTimeZone = (timezone: string): boolean => {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
};

export const minutesOf = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

/** The weekday and minute of the day that a wall clock in `timezone` showed at `instant`. */
const wallClock = (instant: Date, timezone: string): { day: Day; minute: number } => {
  let day: Day = 'Mon';
  let hour = 0;
  let minute = 0;
  for (const part of formatterFor(timezone).formatToParts(instant)) {
    if (part.type === 'weekday') day = part.value as Day;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
};

const dayBefore = (day: Day): Day => DAYS[(DAYS.indexOf(day) + 6) % 7] as Day;

/**
 * Whether `instant` falls inside a weekly window, judged by the wall clock of the window's zone,
 * so a window keeps its local hours across DST changes. `days` names the day a window starts:
 * one whose end is before its start runs past midnight into the next day.
 */
export const inWindow = (instant: Date, window: WeeklyWindow): boolean => {
  const { day, minute } = wallClock(instant, window.timezone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start < end) return window.days.includes(day) && minute >= start && minute < end;
  return (
    (window.days.includes(day) && minute >= start) ||
    (window.days.includes(dayBefore(day)) && minute < end)
  );
};
