/**
 * Speech-like meter movement: talk spurts that wander between about -35 and -10 dB, and pauses that
 * sink towards the -60 dB floor. Deterministic when given a seeded `random`.
 */
export class MeterWalk {
  private talking = false;

  constructor(private readonly random: () => number = Math.random) {}

  /** Next value of one meter channel, `dtMs` after `db`. */
  step(db: number, dtMs: number): number {
    // Switch between talking and pausing a few times per second on average.
    if (this.random() < dtMs / (this.talking ? 1800 : 900)) this.talking = !this.talking;
    const target = this.talking ? -22 : -58;
    const jitter = (this.random() - 0.5) * (this.talking ? 10 : 3);
    const next = db + (target - db) * Math.min(1, dtMs / 250) + jitter;
    return Math.min(-10, Math.max(-60, next));
  }
}
