import { parsePhase, Phase, UnknownPhaseError } from '../../../../shared/validation/run/validation-phase';

describe('parsePhase', () => {
  it('starts a run with no stored phase at Resolve', () => {
    expect(parsePhase(undefined)).toBe(Phase.Resolve);
    expect(parsePhase('')).toBe(Phase.Resolve);
  });

  it('reads every known phase back as itself', () => {
    for (const phase of Object.values(Phase)) expect(parsePhase(phase)).toBe(phase);
  });

  it('refuses a phase it does not know instead of starting over', () => {
    expect(() => parsePhase('DeployVms')).toThrow(UnknownPhaseError);
    expect(() => parsePhase(7)).toThrow(/Unknown validation phase 7/);
  });
});
