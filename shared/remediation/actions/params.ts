import { PolicyError } from '../../azure/action-errors';

/**
 * An action's parameters, declared as data (a small subset of JSON Schema's vocabulary) so that one
 * validator checks every action's parameters when the plan is loaded, and the README and the schema
 * test can read them. Every declared parameter is required; anything undeclared is refused.
 */
export interface IntegerParam {
  readonly type: 'integer';
  readonly minimum: number;
  readonly maximum: number;
  readonly description: string;
}

/** Extend with new kinds as actions need them (and teach `paramsValidator` to check them). */
export type ParamSpec = IntegerParam;

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

export type ParamsOf<S extends ParamSchema> = { readonly [K in keyof S]: number };

export const PARAM_TYPES: readonly ParamSpec['type'][] = ['integer'];

function checkInteger(action: string, name: string, spec: IntegerParam, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < spec.minimum || value > spec.maximum) {
    throw new PolicyError(
      `${action}: ${name} must be a whole number from ${spec.minimum} to ${spec.maximum}`,
    );
  }
  return value;
}

/** Builds an action's `validate` from its schema: typed parameters out, PolicyError on anything else. */
export function paramsValidator<S extends ParamSchema>(
  action: string,
  schema: S,
): (params: unknown) => ParamsOf<S> {
  const names = Object.keys(schema);
  return (params) => {
    const given = params ?? {};
    if (typeof given !== 'object' || given === null || Array.isArray(given)) {
      throw new PolicyError(
        names.length === 0 ? `${action} takes no parameters` : `${action}: parameters must be an object`,
      );
    }
    const unknown = Object.keys(given).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      throw new PolicyError(
        names.length === 0
          ? `${action} takes no parameters`
          : `${action}: unknown parameter ${unknown.map((k) => `"${k.slice(0, 40)}"`).join(', ')} (accepts ${names.join(', ')})`,
      );
    }
    const values = given as Readonly<Record<string, unknown>>;
    return Object.fromEntries(
      Object.entries(schema).map(([name, spec]) => [name, checkInteger(action, name, spec, values[name])]),
    ) as ParamsOf<S>;
  };
}
