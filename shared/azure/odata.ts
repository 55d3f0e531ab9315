import { loadStorageSdks } from './lazy-sdks';

/**
 * @azure/data-tables' `odata` template tag (quotes and escapes each value for an OData filter),
 * reached through the lazily loaded Storage SDK so that importing a query module does not load it.
 */
export function odata(strings: TemplateStringsArray, ...values: unknown[]): string {
  return loadStorageSdks().odata(strings, ...values);
}
