/** Firehose and Kinesis ARNs as AWS writes them. */

export function deliveryStreamArn(region: string, accountId: string, name: string): string {
  return `arn:aws:firehose:${region}:${accountId}:deliverystream/${name}`;
}

/** The stream name of a Kinesis stream ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`). */
export function kinesisStreamNameOf(arn: string): { accountId: string; region: string; name: string } | undefined {
  const match = /^arn:[^:]+:kinesis:([^:]*):(\d{12}):stream\/(.+)$/.exec(arn);
  return match ? { region: match[1], accountId: match[2], name: match[3] } : undefined;
}
