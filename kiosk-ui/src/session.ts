// The officer's kiosk session: the token from the PIN unlock, ended by lock, expiry, a 401, or
// autoLockSeconds without a touch.

export function createSession(onEnd: (token: string) => void) {
  let token: string | null = null;
  let lastTouch = Date.now();
  let expiresAt = 0;
  let autoLockMs = 120_000;

  for (const type of ['pointerdown', 'keydown', 'input'] as const)
    document.addEventListener(type, () => (lastTouch = Date.now()), { capture: true, passive: true });

  setInterval(() => {
    if (token && (Date.now() - lastTouch > autoLockMs || Date.now() >= expiresAt)) end();
  }, 1000);

  function end() {
    const t = token;
    token = null;
    if (t) onEnd(t);
  }
  return {
    token: () => token,
    start(t: string, expires: string, autoLockSeconds: number) {
      token = t;
      expiresAt = Date.parse(expires) || Date.now() + 600_000;
      autoLockMs = autoLockSeconds * 1000;
      lastTouch = Date.now();
    },
    end,
  };
}
