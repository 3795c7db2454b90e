/** AWS shard ids: "shardId-" and the index in 12 digits. */
export function shardIdOf(index: number): string {
  return 'shardId-' + String(index).padStart(12, '0');
}

/** The index of a shard id, or undefined when the text is not a shard id. */
export function shardIndexOf(shardId: string): number | undefined {
  const match = /^(?:shardId-)?(\d{1,20})$/.exec(shardId);
  return match ? Number(match[1]) : undefined;
}
