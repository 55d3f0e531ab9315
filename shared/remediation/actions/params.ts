import { PolicyError } from '../../azure/action-errors';

export function noParams(action: string) {
  return (params: unknown): Record<string, never> => {
    if (
      params !== undefined &&
      (typeof params !== 'object' || params === null || Object.keys(params).length > 0)
    ) {
      throw new PolicyError(`${action} takes no parameters`);
    }
    return {};
  };
}
