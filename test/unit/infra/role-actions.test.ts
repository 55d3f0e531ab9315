import { loadRoleSpecs } from './role-actions';

// Provider/resourceType[/childType...]/(read|write|delete|action): what Azure RBAC accepts, minus wildcards.
const ACTION = /^Microsoft\.[A-Za-z]+(\/[A-Za-z]+)+\/(read|write|delete|action)$/;

describe('infra/role-actions.json', () => {
  const specs = loadRoleSpecs();
  const all = Object.entries(specs).flatMap(([role, spec]) => spec.actions.map((a) => ({ role, ...a })));

  it('defines the gallery operator, validator and operation status reader roles, named and described', () => {
    expect(Object.keys(specs).sort()).toEqual(['galleryOperator', 'operationStatusReader', 'validator']);
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

  it('keeps each action on the role whose scope it needs', () => {
    // Gallery actions on the galleries; operation status reads (subscription scope) alone on their
    // role; everything else on the validation resource group.
    const roleFor = (action: string) =>
      /^Microsoft\.Compute\/galleries\//i.test(action)
        ? 'galleryOperator'
        : /^Microsoft\.\w+\/locations\/\w*operations\/read$/i.test(action)
          ? 'operationStatusReader'
          : 'validator';
    const misplaced = all.filter((a) => roleFor(a.action) !== a.role);
    expect(misplaced.map((a) => `${a.role}: ${a.action}`)).toEqual([]);
  });

  it('grants nothing about permissions, public IPs or storage keys', () => {
    const dangerous =
      /^Microsoft\.Authorization\/|publicIPAddresses|listKeys|regenerateKey|Microsoft\.KeyVault\//i;
    expect(all.filter((a) => dangerous.test(a.action)).map((a) => a.action)).toEqual([]);
  });
});
