import { avatarSignal } from './avatar.js';
import { bioSignal } from './bio.js';
import { followeesSignal } from './followees.js';
import { displayNameSignal, handleSignal } from './handle.js';
import { deviceSignal, emailSignal, ipPrefixSignal, phoneSignal } from './identifiers.js';
import { linksSignal } from './links.js';
import { createRegistry, type SignalRegistry } from './registry.js';

/** Every signal Mirrorwatch ships, validated once. */
export function createDefaultRegistry(): SignalRegistry {
  return createRegistry([
    handleSignal,
    displayNameSignal,
    bioSignal,
    linksSignal,
    avatarSignal,
    emailSignal,
    phoneSignal,
    deviceSignal,
    ipPrefixSignal,
    followeesSignal,
  ]);
}
