import { describe, expect, it } from 'vitest';
import { isLoopbackUrl } from './loopback-url';

describe('isLoopbackUrl', () => {
  it.each([
    ['http://127.0.0.1:1234/v1', true],
    ['http://127.8.9.10/v1', true],
    ['http://localhost:11434/v1', true],
    ['http://api.localhost/v1', true],
    ['http://[::1]:8080/v1', true],
    ['http://0.0.0.0:8080/v1', false],
    ['http://192.168.1.20:1234/v1', false],
    ['https://api.openai.com/v1', false],
    ['http://localhost.example.com/v1', false],
    ['not a url', false],
  ])('%s → %s', (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });
});
