import { err } from './errors.ts';

/** `x-cos-traffic-limit` in bit/s (Doc 34072); returns bytes per second for the throttle. */
export function parseTrafficLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 819200 || n > 838860800) {
    throw err.invalidArgument('x-cos-traffic-limit must be an integer between 819200 and 838860800 (bit/s)');
  }
  return n / 8;
}
