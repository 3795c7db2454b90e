/** The stateless part of the retention rules, shared by Increase/DecreaseStreamRetentionPeriod. */
import { invalidArgument } from '../errors';
import { MIN_RETENTION_HOURS } from '../validation/retention-period';

/**
 * AWS refuses less than 24 hours whatever the current retention. Rules that compare with
 * the current retention (increase below it, decrease above it) belong to the backend.
 */
export function checkMinimumRetention(hours: number): void {
  if (hours < MIN_RETENTION_HOURS) {
    throw invalidArgument(
      `Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. ` +
        `Requested retention period (${hours} hours) is too short.`,
    );
  }
}
