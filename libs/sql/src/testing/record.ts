/** Test helper: records what an Observable emits, with the virtual time of each emission. */
import type { Observable, SchedulerLike } from 'rxjs';

export interface Recorded<T> {
  values: [number, T][];
  completedAt?: number;
}

export function record<T>(source: Observable<T>, scheduler: SchedulerLike): Recorded<T> {
  const recorded: Recorded<T> = { values: [] };
  source.subscribe({
    next: (value) => recorded.values.push([scheduler.now(), value]),
    complete: () => {
      recorded.completedAt = scheduler.now();
    },
  });
  return recorded;
}
