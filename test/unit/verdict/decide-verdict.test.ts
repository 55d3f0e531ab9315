import { decideVerdict } from '../../../shared/verdict/decide-verdict';

describe('decideVerdict', () => {
  it('fails on any failed check', () => {
    expect(
      decideVerdict([
        { name: 'boot-log', status: 'Failed', reason: 'panic' },
        { name: 'x', status: 'Inconclusive', reason: 'y' },
      ]),
    ).toBe('Failed');
  });

  it('is inconclusive when something could not be decided', () => {
    expect(
      decideVerdict([
        { name: 'a', status: 'Passed', reason: '' },
        { name: 'b', status: 'Inconclusive', reason: '' },
      ]),
    ).toBe('Inconclusive');
  });

  it('is inconclusive without any passing check', () => {
    expect(decideVerdict([])).toBe('Inconclusive');
    expect(decideVerdict([{ name: 'identity-unique', status: 'Skipped', reason: '' }])).toBe('Inconclusive');
  });

  it('passes when checks pass or are deliberately skipped', () => {
    expect(
      decideVerdict([
        { name: 'a', status: 'Passed', reason: '' },
        { name: 'identity-unique', status: 'Skipped', reason: '' },
      ]),
    ).toBe('Passed');
  });
});
