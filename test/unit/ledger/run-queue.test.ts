import { decodeRunMessage, encodeRunMessage } from '../../../shared/ledger/run-queue';

describe('run queue messages', () => {
  const key = { partitionKey: 'sub|rg|g|img|1.0.0', rowKey: '0001' };

  it('are base64 JSON carrying only the run key', () => {
    const text = Buffer.from(encodeRunMessage(key), 'base64').toString('utf8');
    expect(JSON.parse(text)).toEqual(key);
  });

  it('decode from the parsed object a queue trigger receives, or from JSON text', () => {
    expect(decodeRunMessage(key)).toEqual(key);
    expect(decodeRunMessage(JSON.stringify(key))).toEqual(key);
  });

  it.each([
    ['not JSON', '{oops'],
    ['no row key', { partitionKey: 'p' }],
    ['a forbidden key character', { partitionKey: 'a/b', rowKey: '0001' }],
    ['a number', 42],
  ])('refuse %s', (_what, entry) => {
    expect(() => decodeRunMessage(entry)).toThrow(/Run message/);
  });
});
