/**
 * Every setting the code declares (shared/config) must be deployed by Bicep (unless localOnly) and
 * listed in local.settings.sample.json; secrets only as Key Vault references. Failures name the
 * setting and the place it is missing from.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORAGE_CONNECTION } from '../../../functions/function-definition';
import { allSettings } from '../../../shared/config';
import { at, declaration, isObject, parseBicep, textOf, type BicepObject } from './bicep';

const ROOT = join(__dirname, '../../..');
const APP_SETTINGS = 'infra/app/app-settings.bicep';
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const appSettingsFile = parseBicep(APP_SETTINGS, read(APP_SETTINGS));
const mainFile = parseBicep('infra/main.bicep', read('infra/main.bicep'));
const deployed = declaration(appSettingsFile, 'var', 'appSettings').value;
if (!isObject(deployed)) throw new Error(`${APP_SETTINGS}: var appSettings is not an object literal`);
const bicepSettings: BicepObject = deployed;

/**
 * Settings that Azure provides differently from offline: the Azurite connection string becomes the
 * identity-based connection (Functions host and our storage clients read AzureWebJobsStorage__*).
 */
const REPLACED_IN_AZURE: Readonly<Record<string, Readonly<Record<string, string | undefined>>>> = {
  AzureWebJobsStorage: {
    AzureWebJobsStorage__accountName: undefined, // any value: the storage account name
    AzureWebJobsStorage__credential: 'managedidentity',
  },
};

/** Platform settings Bicep sets that shared/config does not read. */
const PLATFORM_SETTINGS = new Set([
  'AzureWebJobsStorage__credential',
  // The Functions host's blob endpoint (our code uses queues and tables only).
  'AzureWebJobsStorage__blobServiceUri',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
]);

const kebab = (name: string) => name.toLowerCase().replace(/_/g, '-');

describe('app settings in Bicep', () => {
  const settings = allSettings();
  const deployable = settings.filter((s) => s.localOnly !== true);

  it('are deployed by the config/appsettings resource', () => {
    const resource = declaration(appSettingsFile, 'resource', 'settings');
    expect(resource.type).toBe('Microsoft.Web/sites/config');
    expect(at(resource.value, 'name')).toBe('appsettings');
    expect(textOf(at(resource.value, 'properties'))).toMatch(/^union\(appSettings, extraAppSettings\)$/);
  });

  it('include every setting the code reads (except localOnly ones)', () => {
    const missing = deployable
      .filter((s) => REPLACED_IN_AZURE[s.name] === undefined)
      .filter((s) => !(s.name in bicepSettings))
      .map((s) => `${s.name} is missing from ${APP_SETTINGS} (var appSettings)`);
    expect(missing).toEqual([]);
  });

  it('replace the storage connection string by the identity-based connection', () => {
    // The connection the storage triggers bind to is the one replaced by its identity-based form.
    expect(REPLACED_IN_AZURE[STORAGE_CONNECTION]).toBeDefined();
    const problems: string[] = [];
    for (const [replaced, replacement] of Object.entries(REPLACED_IN_AZURE)) {
      if (!settings.some((s) => s.name === replaced)) continue;
      if (replaced in bicepSettings) problems.push(`${replaced} must not be deployed (use identity)`);
      for (const [name, value] of Object.entries(replacement)) {
        if (!(name in bicepSettings)) problems.push(`${name} is missing from ${APP_SETTINGS}`);
        else if (value !== undefined && bicepSettings[name] !== value)
          problems.push(`${name} must be '${value}'`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('do not deploy localOnly settings, nor GG_ settings the code does not declare', () => {
    const known = new Set(deployable.map((s) => s.name));
    const replacements = Object.values(REPLACED_IN_AZURE).flatMap((r) => Object.keys(r));
    const stray = Object.keys(bicepSettings)
      .filter((name) => !known.has(name) && !PLATFORM_SETTINGS.has(name) && !replacements.includes(name))
      .map(
        (name) =>
          `${name} is in ${APP_SETTINGS} but not declared (or localOnly) in shared/config/settings.ts`,
      );
    expect(stray).toEqual([]);
  });

  it('reference secrets from Key Vault, never by value', () => {
    const secretNamesInMain = Object.keys(
      ((v) => (isObject(v) ? v : {}))(declaration(mainFile, 'var', 'secretValues').value),
    );
    const problems: string[] = [];
    for (const setting of deployable.filter(
      (s) => s.secret === true && REPLACED_IN_AZURE[s.name] === undefined,
    )) {
      const secretName = kebab(setting.name);
      const expected =
        `contains(configuredSecrets, '${secretName}') ? ` +
        `'@Microsoft.KeyVault(SecretUri=\${keyVaultUri}secrets/${secretName}/)' : ''`;
      const value = bicepSettings[setting.name];
      if (value === undefined) continue; // reported by the "include every setting" test
      if (textOf(value) !== expected) problems.push(`${setting.name} must be: ${expected}`);
      if (!secretNamesInMain.includes(secretName)) {
        problems.push(
          `${setting.name}: Key Vault secret '${secretName}' missing from infra/main.bicep var secretValues`,
        );
      }
    }
    for (const [name, value] of Object.entries(bicepSettings)) {
      const isSecret = deployable.some((s) => s.name === name && s.secret === true);
      if (!isSecret && textOf(value).includes('@Microsoft.KeyVault(')) {
        problems.push(`${name} is not a secret in shared/config but uses a Key Vault reference`);
      }
    }
    expect(problems).toEqual([]);
  });
});

// Settings Flex Consumption rejects or replaces with functionAppConfig (Flex Consumption plan docs).
const NOT_ON_FLEX_CONSUMPTION = [
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_WORKER_RUNTIME_VERSION',
  'FUNCTIONS_MAX_HTTP_CONCURRENCY',
  'FUNCTIONS_WORKER_PROCESS_COUNT',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT',
];

describe('app settings on Flex Consumption', () => {
  it('leave out the settings Flex Consumption does not accept', () => {
    const present = NOT_ON_FLEX_CONSUMPTION.filter((name) => name in bicepSettings);
    expect(present).toEqual([]);
    const declared = allSettings().filter(
      (s) => NOT_ON_FLEX_CONSUMPTION.includes(s.name) && s.localOnly !== true,
    );
    expect(
      declared.map((s) => `${s.name} is declared in shared/config but cannot be set on Flex Consumption`),
    ).toEqual([]);
  });
});

describe('local.settings.sample.json', () => {
  const path = join(ROOT, 'local.settings.sample.json');

  it('exists and lists every setting the code reads', () => {
    expect(existsSync(path) ? 'present' : 'local.settings.sample.json is missing').toBe('present');
    const sample = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> };
    const values = sample.Values ?? {};
    const missing = allSettings()
      .filter((s) => !(s.name in values))
      .map((s) => `${s.name} is missing from local.settings.sample.json (Values)`);
    expect(missing).toEqual([]);
  });
});
