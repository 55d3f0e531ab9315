import { BicepExpression, BicepParseError, at, declaration, parseBicep, resources, textOf } from './bicep';

const SAMPLE = `
// a comment with { braces } and 'quotes'
targetScope = 'subscription'

@description('Regions, e.g. "westeurope"')
@minLength(1)
param regions string = 'westeurope' // trailing comment

var tags = { 'azd-env-name': env, app: 'x' }
var list = filter(map(split(regions, ','), r => trim(r)), r => !empty(r))

/* block
   comment */
resource nsg 'Microsoft.Network/networkSecurityGroups@2024-01-01' = {
  name: 'nsg-\${region}-{not-a-brace}'
  properties: {
    securityRules: [
      {
        name: 'deny'
        properties: { priority: 100, access: 'Deny', direction: 'Inbound' }
      }
    ]
    flag: true
    count: -3
    url: '\${base}/x?code=\${listKeys('\${app.id}/host/default', '2024-04-01').functionKeys.default}'
    choice: cond ? 'a' : ''
    call: union(
      a,
      { b: 1 }
    )
    escaped: 'it\\'s'
  }
}

resource old 'Microsoft.Web/sites@2024-04-01' existing = {
  name: 'app'
}

resource maybe 'Microsoft.Storage/storageAccounts@2023-05-01' = if (!empty(x)) {
  name: 'st'
}

module nets 'app/net.bicep' = [
  for (region, i) in list: {
    name: 'net-\${region}'
    params: { region: region }
  }
]

output id string = nsg.id
`;

describe('parseBicep', () => {
  const file = parseBicep('sample.bicep', SAMPLE);

  it('reads resources with type, api version and body', () => {
    const [nsg] = resources([file], 'microsoft.network/networkSecurityGroups');
    expect(nsg?.apiVersion).toBe('2024-01-01');
    expect(at(nsg?.value, 'name')).toBe('nsg-${region}-{not-a-brace}');
    const rules = at(nsg?.value, 'properties.securityRules');
    expect(Array.isArray(rules) && rules.length).toBe(1);
    expect(at(Array.isArray(rules) ? rules[0] : undefined, 'properties.access')).toBe('Deny');
    expect(at(nsg?.value, 'properties.flag')).toBe(true);
    expect(at(nsg?.value, 'properties.count')).toBe(-3);
    expect(at(nsg?.value, 'properties.escaped')).toBe("it's");
  });

  it('keeps interpolations and expressions verbatim', () => {
    const [nsg] = resources([file], 'Microsoft.Network/networkSecurityGroups');
    expect(at(nsg?.value, 'properties.url')).toContain("listKeys('${app.id}/host/default'");
    const choice = at(nsg?.value, 'properties.choice');
    expect(choice).toBeInstanceOf(BicepExpression);
    expect(textOf(choice)).toBe("cond ? 'a' : ''");
    expect(textOf(at(nsg?.value, 'properties.call'))).toMatch(/^union\(\s*a,\s*\{ b: 1 \}\s*\)$/);
  });

  it('reads existing, conditional and looped declarations', () => {
    expect(declaration(file, 'resource', 'old').existing).toBe(true);
    expect(declaration(file, 'resource', 'maybe').condition).toBe('!empty(x)');
    const nets = declaration(file, 'module', 'nets');
    expect(nets.type).toBe('app/net.bicep');
    expect(nets.loop).toBe('(region, i) in list');
    expect(at(nets.value, 'params.region')).toEqual(new BicepExpression('region'));
  });

  it('reads params with decorators, vars and outputs', () => {
    const regions = declaration(file, 'param', 'regions');
    expect(regions.type).toBe('string');
    expect(regions.value).toBe('westeurope');
    expect(regions.decorators).toEqual([`@description('Regions, e.g. "westeurope"')`, '@minLength(1)']);
    expect(at(declaration(file, 'var', 'tags').value, 'azd-env-name')).toEqual(new BicepExpression('env'));
    expect(textOf(declaration(file, 'output', 'id').value)).toBe('nsg.id');
  });

  it('refuses text it cannot read instead of guessing', () => {
    expect(() => parseBicep('bad.bicep', "resource x 'Microsoft.Web/sites' = {\n}\n")).toThrow(
      BicepParseError,
    );
    expect(() => parseBicep('bad.bicep', "resource x 'A/b@1' = {\n  a: 1\n  a: 2\n}\n")).toThrow(
      /duplicate property "a"/,
    );
    expect(() => parseBicep('bad.bicep', "resource x 'A/b@1' = {\n  a: 1\n")).toThrow(/unterminated/);
  });
});
