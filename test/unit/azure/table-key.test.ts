import { assertTableKey, escapeTableKey, TableKeyError } from '../../../shared/azure/table-key';

// eslint-disable-next-line no-control-regex -- the very characters Table keys forbid
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

describe('escapeTableKey', () => {
  it.each([['a/b'], ['a\\b'], ['a#b'], ['a?b'], ['tab\there'], ['nul\u0000'], ['c1\u0085'], ['']])(
    'turns %j into a legal key',
    (text) => {
      const key = escapeTableKey(text);
      expect(key).not.toMatch(FORBIDDEN);
      expect(() => assertTableKey(key)).not.toThrow();
    },
  );

  it('keeps distinct inputs distinct, including ones that look escaped already', () => {
    const inputs = ['a/b', 'a~2fb', 'a|b', 'a~7cb', 'a%2Fb', 'a/b/'];
    expect(new Set(inputs.map(escapeTableKey)).size).toBe(inputs.length);
  });

  it('leaves ordinary text readable', () => {
    expect(escapeTableKey('eventgrid-4b7f2c1e')).toBe('eventgrid-4b7f2c1e');
  });

  it('bounds very long text and keeps long inputs that differ only at the end apart', () => {
    const a = escapeTableKey('x'.repeat(5000) + 'a');
    const b = escapeTableKey('x'.repeat(5000) + 'b');
    expect(a.length).toBeLessThanOrEqual(512);
    expect(a).not.toBe(b);
  });
});

describe('assertTableKey', () => {
  it.each([['has/slash'], ['has#hash'], ['has?q'], ['ctl\u0001'], ['']])('rejects %j', (key) => {
    expect(() => assertTableKey(key)).toThrow(TableKeyError);
  });
});
