import { describe, expect, it } from 'vitest';
import { createAuthenticator, hasRole, parseTokens } from './auth.js';

describe('tokens', () => {
  it('parses name:role:secret lists, secrets may contain colons', () => {
    expect(parseTokens('ana:moderator:s3cret-value, bot:viewer:a:b:c:d:e:f')).toEqual([
      { name: 'ana', role: 'moderator', secret: 's3cret-value' },
      { name: 'bot', role: 'viewer', secret: 'a:b:c:d:e:f' },
    ]);
    expect(parseTokens('')).toEqual([]);
  });

  it('refuses unknown roles, missing parts and short secrets, naming the token', () => {
    expect(() => parseTokens('ana:owner:s3cret-value')).toThrow(/ana.*owner/);
    expect(() => parseTokens('ana:viewer')).toThrow(/name:role:secret/);
    expect(() => parseTokens('ana:viewer:short')).toThrow(/ana.*8/);
  });

  it('recognises a bearer token by its digest and nothing else', () => {
    const authenticate = createAuthenticator(
      parseTokens('ana:moderator:s3cret-value,vic:viewer:another-secret'),
    );
    expect(authenticate('Bearer s3cret-value')).toEqual({ name: 'ana', role: 'moderator' });
    expect(authenticate('bearer another-secret')).toEqual({ name: 'vic', role: 'viewer' });
    expect(authenticate('Bearer s3cret-valuf')).toBeUndefined();
    expect(authenticate('s3cret-value')).toBeUndefined();
    expect(authenticate(undefined)).toBeUndefined();
  });

  it('orders roles viewer < moderator < admin', () => {
    expect(hasRole({ name: 'a', role: 'admin' }, 'moderator')).toBe(true);
    expect(hasRole({ name: 'm', role: 'moderator' }, 'moderator')).toBe(true);
    expect(hasRole({ name: 'v', role: 'viewer' }, 'moderator')).toBe(false);
    expect(hasRole({ name: 'm', role: 'moderator' }, 'admin')).toBe(false);
  });
});
