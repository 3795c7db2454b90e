import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Firehose: how far each delivery stream has delivered each of its sources, and the batch in flight. */
export class DeliveryProgress1796500000000 implements MigrationInterface {
  name = 'DeliveryProgress1796500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "delivery_progress" (
        "delivery_stream_id" uuid NOT NULL,
        "source" varchar(128) NOT NULL,
        "committed_seq" bigint NOT NULL DEFAULT 0,
        "pending_from_seq" bigint,
        "pending_to_seq" bigint,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "delivery_progress_pkey" PRIMARY KEY ("delivery_stream_id", "source"),
        CONSTRAINT "delivery_progress_pending_chk" CHECK (("pending_from_seq" IS NULL) = ("pending_to_seq" IS NULL))
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "delivery_progress"`);
  }
}
