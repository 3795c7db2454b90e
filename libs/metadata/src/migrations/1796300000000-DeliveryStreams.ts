import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Firehose delivery streams and their tags. */
export class DeliveryStreams1796300000000 implements MigrationInterface {
  name = 'DeliveryStreams1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "delivery_streams" (
        "id" uuid NOT NULL,
        "name" varchar(64) NOT NULL,
        "type" varchar(32) NOT NULL,
        "version_id" integer NOT NULL DEFAULT 1,
        "source_stream_arn" varchar(512),
        "source_stream_id" uuid,
        "source_role_arn" varchar(512),
        "destination_kind" varchar(32) NOT NULL,
        "destination_config" jsonb NOT NULL,
        "encryption_enabled" boolean NOT NULL DEFAULT false,
        "encryption_key_type" varchar(32),
        "encryption_key_arn" varchar(512),
        "encryption_settles_at" timestamptz,
        "created_at" timestamptz NOT NULL,
        "updated_at" timestamptz NOT NULL,
        "active_at" timestamptz NOT NULL,
        "deleting_at" timestamptz,
        "gone_at" timestamptz,
        CONSTRAINT "delivery_streams_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "delivery_streams_type_chk" CHECK ("type" IN ('DirectPut', 'KinesisStreamAsSource')),
        CONSTRAINT "delivery_streams_destination_kind_chk" CHECK ("destination_kind" IN ('ExtendedS3', 'HttpEndpoint', 'Redshift')),
        CONSTRAINT "delivery_streams_version_id_chk" CHECK ("version_id" >= 1),
        CONSTRAINT "delivery_streams_key_type_chk" CHECK ("encryption_key_type" IS NULL OR "encryption_key_type" IN ('AWS_OWNED_CMK', 'CUSTOMER_MANAGED_CMK')),
        CONSTRAINT "delivery_streams_source_chk" CHECK (("type" = 'KinesisStreamAsSource') = ("source_stream_arn" IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "delivery_streams_name_live_uq" ON "delivery_streams" ("name") WHERE "gone_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "delivery_streams_gone_at_idx" ON "delivery_streams" ("gone_at")`);
    await queryRunner.query(`
      CREATE TABLE "delivery_stream_tags" (
        "delivery_stream_id" uuid NOT NULL,
        "key" varchar(128) NOT NULL,
        "value" varchar(256),
        CONSTRAINT "delivery_stream_tags_pkey" PRIMARY KEY ("delivery_stream_id", "key"),
        CONSTRAINT "delivery_stream_tags_delivery_stream_id_fk" FOREIGN KEY ("delivery_stream_id") REFERENCES "delivery_streams" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "delivery_stream_tags"`);
    await queryRunner.query(`DROP TABLE "delivery_streams"`);
  }
}
