/**
 * Lifecycle of a shard actor. Only `running` takes appends. `sealed`: the shard is closing
 * for a reshard; queued appends are written, new ones refused (retriable), and it goes back
 * to `running` if the reshard fails.
 */
export type ActorState = 'created' | 'starting' | 'running' | 'sealed' | 'stopping' | 'fenced' | 'stopped';

const TRANSITIONS: Readonly<Record<ActorState, readonly ActorState[]>> = {
  created: ['starting', 'stopped'],
  starting: ['running', 'stopped'],
  running: ['stopping', 'fenced', 'sealed'],
  sealed: ['running', 'stopping', 'fenced'],
  stopping: ['stopped', 'fenced'],
  fenced: ['stopped'],
  stopped: [],
};

/** Moves a state machine along the table; a call in the wrong state is rejected here, not by scattered ifs. */
export function transition(from: ActorState, to: ActorState): ActorState {
  if (!TRANSITIONS[from].includes(to)) throw new Error(`shard actor cannot go from ${from} to ${to}`);
  return to;
}
