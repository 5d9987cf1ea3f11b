import { describe, expect, it } from 'vitest';
import { followeesSignal, followeesSignature } from './followees.js';
import { decodeSetSignature, encodeSetSignature, SetSignatureError } from './set-similarity.js';

const follows = Array.from({ length: 300 }, (_, n) => `account-${n * 7}`);

describe('followees signatures on the wire', () => {
  it('an account carrying the encoded signature fingerprints as one carrying the list', () => {
    const signature = followeesSignature(follows);
    expect(signature).toHaveLength(64);
    const encoded = encodeSetSignature(signature ?? []);
    expect(encoded).toHaveLength(344);
    const fromList = followeesSignal.fingerprint({ id: '1', handle: 'a', followees: follows });
    const fromSignature = followeesSignal.fingerprint({ id: '1', handle: 'a', followeesSignature: encoded });
    expect(fromSignature).toEqual(fromList);
    expect(followeesSignal.blockingKeys(fromSignature ?? [])).toEqual(
      followeesSignal.blockingKeys(fromList ?? []),
    );
  });

  it('keeps every slot, the top bit included', () => {
    const slots = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 123456789];
    expect(decodeSetSignature(encodeSetSignature(slots), slots.length)).toEqual(slots);
  });

  it('has no signature for an empty list', () => {
    expect(followeesSignature([])).toBeUndefined();
    expect(followeesSignal.fingerprint({ id: '1', handle: 'a', followees: [] })).toBeUndefined();
  });

  it('refuses an encoded signature of the wrong length or that is not base64', () => {
    const encoded = encodeSetSignature(followeesSignature(follows) ?? []);
    expect(() => decodeSetSignature(encoded, 32)).toThrow(SetSignatureError);
    expect(() => decodeSetSignature(encoded.slice(0, 340), 64)).toThrow(SetSignatureError);
    expect(() => decodeSetSignature(`${encoded.slice(0, 100)}!${encoded.slice(101)}`, 64)).toThrow(
      SetSignatureError,
    );
  });
});
