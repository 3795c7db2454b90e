/**
 * Runs a task one at a time: a request while it runs asks for exactly one more run after
 * it (however many requests came), so change notices arriving in a burst cost two runs, not
 * one each. The reconcile loops of the Firehose and Analytics runtimes use it.
 */
export class CoalescedTask {
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Runs the task now, or once more after the current run; resolves when a run that saw this request ends. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.task()
      .catch((err) => this.onError(err))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.run();
        }
      });
    return this.running;
  }

  /** No further runs; resolves when the current one has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
