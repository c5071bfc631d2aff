// Keeping a session alive while its user works. The server ends a session
// after its idle time without a request (等保 requires the timeout, so it
// stays); here typing, clicks and keys count as work: on input the page sends
// a cheap authenticated call, at most once per `every`. A warning comes
// `warnBefore` ahead of the end, and the end itself is called when no call
// renewed the session in time.

/** How a page paces its calls for a server idle time; all in milliseconds. */
export interface Timings {
  /** The server's idle time. */
  idle: number
  /** Least time between two keep-alive calls. */
  every: number
  /** How long before the end the warning shows. */
  warnBefore: number
  /**
   * How much sooner than call + idle the session may end: the server writes
   * a session's last request down only when the one before lies further back
   * (min(5 s, idle / 4), internal/account/session.go Authenticate).
   */
  slack: number
}

/** The timings for a server idle time of idleMs: a minute's pace for 15 minutes, a quarter of short test times. */
export function timings(idleMs: number): Timings {
  const quarter = idleMs / 4
  return { idle: idleMs, every: Math.min(60_000, quarter), warnBefore: Math.min(60_000, quarter), slack: Math.min(5_000, quarter) }
}

/** What a KeepAlive calls on. */
export interface KeepAliveHooks {
  /** The cheap authenticated call; resolves once the server has answered it. */
  renew(): Promise<unknown>
  /** The session ends at endsAt (Date.now() time) unless renewed. */
  warn(endsAt: number): void
  /** A call renewed the session (a warning can go). */
  renewed(): void
  /** The session has ended: nothing renewed it in time. */
  expired(): void
}

/**
 * One signed-in session's pace: input() on every user input, start() after
 * each call that renewed it (sign-in), stop() when it ends.
 */
export class KeepAlive {
  private lastSent = -Infinity
  private sending = false
  private stopped = true
  private warnTimer?: ReturnType<typeof setTimeout>
  private endTimer?: ReturnType<typeof setTimeout>

  constructor(
    private readonly t: Timings,
    private readonly hooks: KeepAliveHooks,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the session from a call sent at `at` that the server answered. */
  start(at = this.now()) {
    this.stopped = false
    this.lastSent = Math.max(this.lastSent, at)
    this.schedule(at + this.t.idle - this.t.slack)
    this.hooks.renewed()
  }

  /** User input: renews the session unless a call went out less than `every` ago. */
  input() {
    if (this.now() - this.lastSent >= this.t.every) void this.renew()
  }

  /** Renews the session now (继续使用), unless a call is on its way. */
  async renew() {
    if (this.stopped || this.sending) return
    const at = this.now()
    this.lastSent = at
    this.sending = true
    try {
      await this.hooks.renew()
      if (!this.stopped) this.start(at)
    } catch {
      // An ended session is reported by the transport (handleUnauthorized);
      // any other failure leaves the count where it was.
    } finally {
      this.sending = false
    }
  }

  /** Stops counting: signed out, or the session ended. */
  stop() {
    this.stopped = true
    clearTimeout(this.warnTimer)
    clearTimeout(this.endTimer)
  }

  private schedule(endsAt: number) {
    clearTimeout(this.warnTimer)
    clearTimeout(this.endTimer)
    const left = endsAt - this.now()
    this.warnTimer = setTimeout(() => this.hooks.warn(endsAt), left - this.t.warnBefore)
    this.endTimer = setTimeout(() => {
      this.stop()
      this.hooks.expired()
    }, left)
  }
}
