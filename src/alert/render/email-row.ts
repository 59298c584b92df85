/** Where the values of an email's fact rows start, past the longest label. */
const LABEL_WIDTH = 18;

/** One fact of an email, `  Label:  value`, its value aligned with the rows around it. */
export const emailRow = (label: string, value: string, labelWidth = LABEL_WIDTH): string =>
  `  ${`${label}:`.padEnd(labelWidth)}${value}`;
