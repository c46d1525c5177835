import { AppError } from '../../common/errors.js';

// What a caller sees when the media plane (Janus) cannot do its part: one 503 code, Vietnamese first.

export class MediaUnavailableError extends AppError {
  constructor(reason: string) {
    super(
      `máy chủ truyền thông (Janus) không sẵn sàng, hãy thử lại sau / the media server (Janus) is unavailable: ${reason}`,
      503,
      'MEDIA_UNAVAILABLE',
    );
  }
}

/** Janus answered, but refused the request (a plugin error code and its reason). */
export class JanusRefusedError extends Error {
  constructor(
    readonly request: string,
    readonly code: number,
    reason: string,
  ) {
    super(`janus ${request}: ${code} ${reason}`);
  }
}
