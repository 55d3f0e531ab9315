import { loadRoleSpecs } from './role-actions';

// Provider/resourceType[/childType...]/(read|write|delete|action): what Azure RBAC accepts, minus wildcards.
const ACTION = /^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+\/(read|write|delete|action)$/;

describe('infra/role-actions.json', () => {
  const specs = loadRoleSpecs();
  const all = Object.entries(specs).flatMap(([role, spec]) => spec.actions.map((a) => ({ role, ...a })));

  it('defines the gallery operator and validator roles, each named and described', () => {
    expect(Object.keys(specs).sort()).toEqual(['galleryOperator', 'validator']);
    for (const spec of Object.values(specs)) {
      expect(spec.roleName).toMatch(/^gallery-guard /);
      expect(spec.description.length).toBeGreaterThan(20);
      expect(spec.actions.length).toBeGreaterThan(0);
    }
  });

  it('grants no wildcard and only well-formed actions', () => {
    expect(all.filter((a) => a.action.includes('*')).map((a) => a.action)).toEqual([]);
    expect(all.filter((a) => !ACTION.test(a.action)).map((a) => a.action)).toEqual([]);
  });

  it('grants each action once', () => {
    const seen = new Map<string, number>();
    for (const a of all) seen.set(a.action.toLowerCase(), (seen.get(a.action.toLowerCase()) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([action]) => action)).toEqual([]);
  });

  it('justifies every action in one line', () => {
    const unjustified = all.filter(
      (a) => a.why.trim().length < 15 || a.why.includes('\n') || a.why.length > 200,
    );
    expect(unjustified.map((a) => a.action)).toEqual([]);
  });

  it('keeps gallery actions on the gallery role and VM actions on the validator role', () => {
    const misplaced = all.filter(
      (a) =>
        (a.role === 'galleryOperator') !== a.action.toLowerCase().startsWith('microsoft.compute/galleries/'),
    );
    expect(misplaced.map((a) => `${a.role}: ${a.action}`)).toEqual([]);
  });

  it('grants nothing about permissions, public IPs or storage keys', () => {
    const dangerous =
      /^Microsoft\.Authorization\/|publicIPAddresses|listKeys|regenerateKey|Microsoft\.KeyVault\//i;
    expect(all.filter((a) => dangerous.test(a.action)).map((a) => a.action)).toEqual([]);
  });
});
