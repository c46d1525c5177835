// Errors that cross module boundaries carry the HTTP status the API maps them to,
// so drivers never import fastify and the API never guesses.

export class AppError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A camera, preset or channel that does not exist (404). */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super(message, 404, 'NOT_FOUND');
  }
}

/** The request is well-formed JSON but a value is out of range (400). `field` names it. */
export class InvalidRequestError extends AppError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, 400, 'INVALID_REQUEST');
  }
}

/** The device is offline, unplugged, timed out or answered garbage (503). */
export class DeviceUnavailableError extends AppError {
  constructor(
    readonly device: string,
    reason: string,
  ) {
    super(`${device} unavailable: ${reason}`, 503, 'DEVICE_UNAVAILABLE');
  }
}

/** The device answered, but refused the command (e.g. SOAP fault, VISCA error, -ERR) (502). */
export class DeviceRejectedError extends AppError {
  constructor(
    readonly device: string,
    reason: string,
  ) {
    super(`${device} rejected the command: ${reason}`, 502, 'DEVICE_REJECTED');
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
