// Argument parsers that fail with exit 2 and name the argument, for commander's option hooks.
import { InvalidArgumentError } from 'commander';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveInteger(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1)
      throw new InvalidArgumentError(`${name} expects a whole number of at least 1, got "${value}"`);
    return Number(value);
  };
}

export function clockTime(name: string) {
  return (value: string): string => {
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value))
      throw new InvalidArgumentError(`${name} expects a 24-hour time HH:MM, got "${value}"`);
    return value;
  };
}
