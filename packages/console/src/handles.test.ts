import { describe, expect, it } from 'vitest';
import { handleSummary, segmentHandle } from './handles';

describe('handle segmentation', () => {
  it('leaves printable ASCII alone', () => {
    expect(segmentHandle('sword_lions 2.0')).toEqual([{ kind: 'plain', text: 'sword_lions 2.0' }]);
  });

  it('flags a Cyrillic lookalike with its code point and script', () => {
    expect(segmentHandle('s\u0430m')).toEqual([
      { kind: 'plain', text: 's' },
      { kind: 'unusual', text: '\u0430', codePoint: 'U+0430', script: 'Cyrillic' },
      { kind: 'plain', text: 'm' },
    ]);
  });

  it('names invisible, bidi, filler and combining code points', () => {
    const names = segmentHandle('a\u200bb\u202ec\u3164d\u0301e\ufe0f\u00a0\u{e0041}').flatMap((segment) =>
      segment.kind === 'invisible' ? [`${segment.codePoint} ${segment.name}`] : [],
    );
    expect(names).toEqual([
      'U+200B zero width space',
      'U+202E right-to-left override',
      'U+3164 Hangul filler',
      'U+0301 combining mark',
      'U+FE0F variation selector',
      'U+00A0 no-break space',
      'U+E0041 tag character',
    ]);
  });

  it('treats astral code points as one, and controls as invisible', () => {
    const segments = segmentHandle('\u{1d41a}\t');
    expect(segments).toEqual([
      { kind: 'unusual', text: '\u{1d41a}', codePoint: 'U+1D41A', script: 'symbol' },
      { kind: 'invisible', text: '\t', codePoint: 'U+0009', name: 'control character' },
    ]);
    expect(handleSummary(segments)).toEqual({ unusual: 1, invisible: 1 });
  });
});
