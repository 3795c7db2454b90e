import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Readers of direct-put delivery streams besides Firehose (analytics applications): the purge of delivered records waits for them. */
export class DeliveryStreamReaders1796730000000 implements MigrationInterface {
  name = 'DeliveryStreamReaders1796730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "delivery_stream_readers" (
        "delivery_stream_id" uuid NOT NULL,
        "reader" varchar(128) NOT NULL,
        "position" bigint NOT NULL DEFAULT 0,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "delivery_stream_readers_pkey" PRIMARY KEY ("delivery_stream_id", "reader")
      )`);
    await queryRunner.query(`CREATE INDEX "delivery_stream_readers_reader_idx" ON "delivery_stream_readers" ("reader")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "delivery_stream_readers"`);
  }
}
