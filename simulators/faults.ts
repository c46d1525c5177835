// Fault controls every simulator offers, toggled by tests, `reception sim`'s control API and the demo.

export interface Faults {
  /** Stop answering entirely (network down / device powered off). Serial sims close their port: "unplugged". */
  offline: boolean;
  /** Answer every request this many ms late. */
  latencyMs: number;
  /** Answer with bytes that are not valid protocol (truncated XML, random bytes, nonsense lines). */
  garbage: boolean;
  /** Answer with a well-formed protocol error (SOAP Fault, VISCA error, TTP -ERR). */
  protocolError: boolean;
}

export const NO_FAULTS: Faults = { offline: false, latencyMs: 0, garbage: false, protocolError: false };

export interface SimulatorHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): { state: 'running' | 'stopped'; faults: Faults };
  setFaults(change: Partial<Faults>): Promise<void>;
}
