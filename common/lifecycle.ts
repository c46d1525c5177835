// Every module and driver exposes the same lifecycle (convention 1): start, stop, health.

export const DEVICE_STATES = ['starting', 'online', 'offline', 'stopped'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

export interface Health {
  state: DeviceState;
  /** ISO time of the last state change. */
  since: string;
  /** Why the device is offline, when it is. */
  lastError?: string;
  /** How many times the connection was rebuilt after a failure. */
  reconnects: number;
}

export interface Lifecycle {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): Health;
}

/** Small helper that keeps the Health record and tells listeners when the state changes. */
export class HealthTracker {
  private current: Health = { state: 'stopped', since: new Date().toISOString(), reconnects: 0 };
  constructor(private readonly onChange: (h: Health) => void = () => {}) {}

  get(): Health {
    return { ...this.current };
  }

  set(state: DeviceState, lastError?: string): void {
    const changed = state !== this.current.state || lastError !== this.current.lastError;
    if (!changed) return;
    const since = state !== this.current.state ? new Date().toISOString() : this.current.since;
    this.current = { state, since, lastError, reconnects: this.current.reconnects };
    this.onChange(this.get());
  }

  countReconnect(): void {
    this.current = { ...this.current, reconnects: this.current.reconnects + 1 };
  }
}
