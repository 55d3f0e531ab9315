/** An error ARM would return: HTTP status plus the `{ error: { code, message, target } }` body. */
export class ArmError extends Error {
  override readonly name = 'ArmError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: {
      readonly target?: string;
      readonly headers?: Record<string, string>;
      readonly details?: readonly Record<string, unknown>[];
    } = {},
  ) {
    super(message);
  }

  toBody(): { error: { code: string; message: string; target?: string; details?: unknown[] } } {
    const error: { code: string; message: string; target?: string; details?: unknown[] } = {
      code: this.code,
      message: this.message,
    };
    if (this.extra.target !== undefined) error.target = this.extra.target;
    if (this.extra.details !== undefined) error.details = [...this.extra.details];
    return { error };
  }
}

export const notFound = (type: string, name: string, resourceGroup: string): ArmError =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

export const parentNotFound = (parent: string): ArmError =>
  new ArmError(
    404,
    'ParentResourceNotFound',
    `Can not perform requested operation on nested resource. Parent resource '${parent}' not found.`,
  );

export const resourceGroupNotFound = (name: string): ArmError =>
  new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);

export const invalidParameter = (message: string, target?: string): ArmError =>
  new ArmError(400, 'InvalidParameter', message, target === undefined ? {} : { target });

export const badRequest = (message: string): ArmError => new ArmError(400, 'BadRequest', message);
