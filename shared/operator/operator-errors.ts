/** The operator's request cannot be served as asked (HTTP 400): the message says what to change. */
export class OperatorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorInputError';
  }
}

/** Nothing matches what the operator asked for (HTTP 404). */
export class OperatorNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorNotFoundError';
  }
}
