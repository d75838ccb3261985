/** A conditional update found the world changed under it; the whole step runs again. */
export class RetryableConflict extends Error {
  readonly code = 'RETRYABLE_CONFLICT';
  constructor() {
    super('A concurrent change touched the same rows; retrying.');
  }
}
