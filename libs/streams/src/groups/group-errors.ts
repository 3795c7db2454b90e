import { ShardlineError } from '@shardline/protocol';

/** A member that left, or whose heartbeats stopped for longer than the member timeout: it must join again. */
export class MemberGoneError extends ShardlineError {
  constructor(readonly memberId: string) {
    super('ResourceNotFoundException', `Member ${memberId} is not in its consumer group (it left or stopped heartbeating); join again.`);
  }
}

/** A checkpoint from a member that no longer holds the shard's lease at that epoch (it moved on a rebalance). */
export class LeaseLostError extends ShardlineError {
  constructor(
    readonly memberId: string,
    readonly shardId: string,
    readonly epoch: number,
  ) {
    super('ResourceInUseException', `Member ${memberId} no longer holds ${shardId} at epoch ${epoch}: the shard moved to another member.`);
  }
}
