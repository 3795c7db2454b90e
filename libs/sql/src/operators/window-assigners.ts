/**
 * Which window(s) a row belongs to, per window kind. Windows are kept per group key; each kind
 * finds or opens the windows of one group for a row time.
 */

/** An open window of one group: [start, end) and its aggregate states. */
export interface OpenWindow {
  start: number;
  end: number;
  states: unknown[];
}

export type WindowKind =
  | { kind: 'tumbling'; sizeMs: number }
  | { kind: 'hopping'; sizeMs: number; slideMs: number }
  | { kind: 'session'; gapMs: number }
  | { kind: 'stagger'; sizeMs: number };

export interface WindowAssigner {
  /** The latest end of any window this time can belong to: past it (plus lateness) the row is late. */
  lastEnd(time: number): number;
  /**
   * Calls `into` with each open window of `windows` the row belongs to, opening windows as needed
   * (only those ending after `closedUpTo`). Returns the earliest end among windows it opened.
   */
  assign(windows: OpenWindow[], time: number, closedUpTo: number, open: (start: number, end: number) => OpenWindow, into: (window: OpenWindow) => void): number;
}

const floorTo = (time: number, size: number) => Math.floor(time / size) * size;

function findOrOpen(windows: OpenWindow[], start: number, end: number, open: (start: number, end: number) => OpenWindow): [OpenWindow, boolean] {
  for (let i = 0; i < windows.length; i++) if (windows[i].start === start) return [windows[i], false];
  const window = open(start, end);
  windows.push(window);
  return [window, true];
}

function tumbling(sizeMs: number): WindowAssigner {
  return {
    lastEnd: (time) => floorTo(time, sizeMs) + sizeMs,
    assign(windows, time, _closedUpTo, open, into) {
      const start = floorTo(time, sizeMs);
      const [window, opened] = findOrOpen(windows, start, start + sizeMs, open);
      into(window);
      return opened ? window.end : Infinity;
    },
  };
}

function hopping(sizeMs: number, slideMs: number): WindowAssigner {
  return {
    lastEnd: (time) => floorTo(time, slideMs) + sizeMs,
    assign(windows, time, closedUpTo, open, into) {
      let earliest = Infinity;
      for (let start = floorTo(time, slideMs); start > time - sizeMs; start -= slideMs) {
        if (start + sizeMs <= closedUpTo) break;
        const [window, opened] = findOrOpen(windows, start, start + sizeMs, open);
        into(window);
        if (opened) earliest = Math.min(earliest, window.end);
      }
      return earliest;
    },
  };
}

/** Sessions: a row within `gap` of a session extends it; a row bridging two sessions merges them. */
function session(gapMs: number, merge: (into: OpenWindow, from: OpenWindow) => void): WindowAssigner {
  return {
    lastEnd: (time) => time + gapMs,
    assign(windows, time, _closedUpTo, open, into) {
      let target: OpenWindow | undefined;
      for (let i = 0; i < windows.length; i++) {
        const window = windows[i];
        if (time >= window.start - gapMs && time < window.end) {
          if (!target) {
            target = window;
            target.start = Math.min(target.start, time);
            target.end = Math.max(target.end, time + gapMs);
          } else {
            merge(target, window);
            windows.splice(i--, 1);
          }
        }
      }
      if (target) {
        into(target);
        return Infinity;
      }
      const created = open(time, time + gapMs);
      windows.push(created);
      into(created);
      return created.end;
    },
  };
}

/** KDA's stagger: a key's window opens at its first row and closes `size` later. */
function stagger(sizeMs: number): WindowAssigner {
  return {
    lastEnd: (time) => time + sizeMs,
    assign(windows, time, _closedUpTo, open, into) {
      for (let i = 0; i < windows.length; i++) {
        if (time < windows[i].end) {
          windows[i].start = Math.min(windows[i].start, time);
          into(windows[i]);
          return Infinity;
        }
      }
      const created = open(time, time + sizeMs);
      windows.push(created);
      into(created);
      return created.end;
    },
  };
}

export function assignerFor(kind: WindowKind, merge: (into: OpenWindow, from: OpenWindow) => void): WindowAssigner {
  switch (kind.kind) {
    case 'tumbling':
      return tumbling(kind.sizeMs);
    case 'hopping':
      return hopping(kind.sizeMs, kind.slideMs);
    case 'session':
      return session(kind.gapMs, merge);
    case 'stagger':
      return stagger(kind.sizeMs);
  }
}
