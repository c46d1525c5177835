import { AppError, DeviceRejectedError, DeviceUnavailableError, NotFoundError } from '../../../../common/errors.js';
import type { FaultInfo } from '../../../../common/protocols/onvif/index.js';

// Maps whatever a call failed with onto the driver's error classes. node-onvif flattens SOAP faults into
// `new Error('500 Internal Server Error - <reason>')` and network failures into 'Network Error: …',
// so besides real fault trees (common/protocols/onvif parseFault) we classify by message.

export class SoapFaultError extends Error {
  constructor(readonly fault: FaultInfo) {
    super([fault.code, ...fault.subcodes].join(' ') + (fault.reason ? `: ${fault.reason}` : ''));
  }
}

/** Innermost subcodes meaning "no such preset"; a bare InvalidArgVal counts, InvalidArgVal/InvalidPosition does not. */
const UNKNOWN_TOKEN = /(^|:)(NoToken|NoEntity|NoPreset|InvalidArgVal)$/i;
const NETWORK =
  /Network Error|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|EPIPE|socket hang up|fetch failed|timed out|aborted/i;
/** Parser complaints (xml2js/sax) and node-onvif's "answer had no <XResponse>": the camera sent garbage. */
const GARBAGE =
  /Line: \d+\s+Column: \d+|Non-whitespace before first tag|Unexpected end|Unclosed root tag|Invalid character|seems to not support the/i;

export interface ErrorContext {
  /** The call addressed this preset token: "unknown token" faults become NotFoundError. */
  preset?: string;
}

export function faultToError(device: string, fault: FaultInfo, ctx: ErrorContext = {}): AppError {
  if (ctx.preset !== undefined && UNKNOWN_TOKEN.test(fault.subcodes.at(-1) ?? '')) {
    return new NotFoundError(`camera ${device} has no preset ${ctx.preset}`);
  }
  return new DeviceRejectedError(device, new SoapFaultError(fault).message);
}

export function toDriverError(device: string, err: unknown, ctx: ErrorContext = {}): Error {
  if (err instanceof AppError) return err;
  if (err instanceof SoapFaultError) return faultToError(device, err.fault, ctx);
  const e = err instanceof Error ? err : new Error(String(err));
  const text = `${e.message} ${(e.cause as Error | undefined)?.message ?? ''} ${(e.cause as { code?: string } | undefined)?.code ?? ''}`;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || NETWORK.test(text)) return new DeviceUnavailableError(device, e.message);
  if (e instanceof TypeError || GARBAGE.test(text)) return new DeviceUnavailableError(device, `unreadable answer: ${e.message}`);
  const http = /^(\d{3}) /.exec(e.message);
  // A bare 5xx without a SOAP fault is a broken server, not a refusal; 4xx is auth / bad request.
  if (http && Number(http[1]) >= 500 && !e.message.includes(' - ')) return new DeviceUnavailableError(device, e.message);
  return new DeviceRejectedError(device, e.message);
}
