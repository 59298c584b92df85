import { isIP } from 'node:net';

/**
 * Event values that may go into a command a person pastes into a shell. Each must match a strict
 * pattern; anything else becomes a `<placeholder>` the person fills in, so attacker text never
 * reaches a terminal as part of a command.
 */

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/** Digits, hex letters, dots and colons: an IP address without an IPv6 zone suffix. */
const IP_CHARACTERS = /^[0-9A-Fa-f:.]+$/;
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

export const isAccountId = (value: string): boolean => ACCOUNT_ID.test(value);

export const isRegion = (value: string): boolean => REGION.test(value);

export const isIpAddress = (value: string): boolean =>
  IP_CHARACTERS.test(value) && isIP(value) !== 0;

export const isAccessKeyId = (value: string): boolean => ACCESS_KEY_ID.test(value);

export const accountOrPlaceholder = (value: string): string =>
  isAccountId(value) ? value : '<account>';

export const regionOrPlaceholder = (value: string): string =>
  isRegion(value) ? value : '<region>';

export const sourceIpOrPlaceholder = (value: string): string =>
  isIpAddress(value) ? value : '<source-ip>';
