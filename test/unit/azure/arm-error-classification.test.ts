import { classifyArmError } from '../../../shared/azure/arm-error-classification';

const restError = (statusCode: number, code: string, message = '', headers: Record<string, string> = {}) => ({
  name: 'RestError',
  statusCode,
  code,
  message,
  response: { headers: { get: (n: string) => headers[n.toLowerCase()] } },
});

describe('classifyArmError', () => {
  it('treats 429 as throttling and reads Retry-After', () => {
    expect(classifyArmError(restError(429, 'TooManyRequests', '', { 'retry-after': '7' }))).toMatchObject({
      fault: 'Throttled',
      retryAfterMs: 7000,
    });
  });

  it.each([
    [409, 'SkuNotAvailable', '', 'Capacity'],
    [200, 'AllocationFailed', '', 'Capacity'],
    [409, 'OperationNotAllowed', 'exceeding approved Total Regional Cores quota', 'Quota'],
    [500, 'InternalServerError', '', 'Transient'],
    [503, 'ServiceUnavailable', '', 'Transient'],
    [404, 'ResourceNotFound', '', 'NotFound'],
    [400, 'InvalidParameter', 'osProfile is not allowed', 'Rejected'],
  ])('classifies %i %s as %s', (status, code, message, fault) => {
    expect(classifyArmError(restError(status, code, message)).fault).toBe(fault);
  });

  it('treats a network error without status as transient', () => {
    expect(classifyArmError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).fault).toBe(
      'Transient',
    );
  });
});
