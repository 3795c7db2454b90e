import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Resharding: a stream is UPDATING until `updating_until` (a reshard in progress holds it a
 * while ahead, so a crashed reshard frees the stream by itself), and `scaling_operations`
 * keeps the times of recent UpdateShardCount calls for the rolling 24-hour limit.
 */
export class Resharding1795700000000 implements MigrationInterface {
  name = 'Resharding1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "streams" ADD "updating_until" timestamptz`);
    await queryRunner.query(`ALTER TABLE "streams" ADD "scaling_operations" timestamptz array NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "streams" DROP COLUMN "scaling_operations"`);
    await queryRunner.query(`ALTER TABLE "streams" DROP COLUMN "updating_until"`);
  }
}
