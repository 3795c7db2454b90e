import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Streams, shards, tags, and the shard ownership tables (owners and leases). */
export class InitialSchema1795646320041 implements MigrationInterface {
  name = 'InitialSchema1795646320041';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "streams" (
        "id" uuid NOT NULL,
        "name" varchar(128) NOT NULL,
        "arn" varchar(2048) NOT NULL,
        "mode" varchar(16) NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'ACTIVE',
        "retention_hours" integer NOT NULL DEFAULT 24,
        "created_at" timestamptz NOT NULL,
        "ready_at" timestamptz NOT NULL,
        "deleting_at" timestamptz,
        "gone_at" timestamptz,
        "encryption_type" varchar(8) NOT NULL DEFAULT 'NONE',
        "key_id" varchar(2048),
        "shard_level_metrics" text array NOT NULL DEFAULT '{}',
        CONSTRAINT "streams_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "streams_mode_chk" CHECK ("mode" IN ('PROVISIONED', 'ON_DEMAND')),
        CONSTRAINT "streams_status_chk" CHECK ("status" IN ('ACTIVE', 'UPDATING')),
        CONSTRAINT "streams_retention_hours_chk" CHECK ("retention_hours" BETWEEN 1 AND 8760),
        CONSTRAINT "streams_encryption_type_chk" CHECK ("encryption_type" IN ('NONE', 'KMS'))
      )`);
    // A name is taken only until its stream's deletion has finished.
    await queryRunner.query(`CREATE UNIQUE INDEX "streams_name_live_uq" ON "streams" ("name") WHERE "gone_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "streams_gone_at_idx" ON "streams" ("gone_at")`);
    await queryRunner.query(`
      CREATE TABLE "shards" (
        "stream_id" uuid NOT NULL,
        "shard_index" integer NOT NULL,
        "shard_id" varchar(64) NOT NULL,
        "hash_key_start" numeric(39,0) NOT NULL,
        "hash_key_end" numeric(39,0) NOT NULL,
        "starting_sequence_number" varchar(128) NOT NULL,
        "ending_sequence_number" varchar(128),
        "parent_shard_id" varchar(64),
        "adjacent_parent_shard_id" varchar(64),
        "status" varchar(8) NOT NULL DEFAULT 'OPEN',
        "created_at" timestamptz NOT NULL,
        "closed_at" timestamptz,
        CONSTRAINT "shards_pkey" PRIMARY KEY ("stream_id", "shard_index"),
        CONSTRAINT "shards_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "streams" ("id") ON DELETE CASCADE,
        CONSTRAINT "shards_hash_key_range_chk" CHECK ("hash_key_start" <= "hash_key_end"),
        CONSTRAINT "shards_status_chk" CHECK ("status" IN ('OPEN', 'CLOSED'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "shards_stream_id_shard_id_uq" ON "shards" ("stream_id", "shard_id")`);
    await queryRunner.query(`
      CREATE TABLE "stream_tags" (
        "stream_id" uuid NOT NULL,
        "key" varchar(128) NOT NULL,
        "value" varchar(256),
        CONSTRAINT "stream_tags_pkey" PRIMARY KEY ("stream_id", "key"),
        CONSTRAINT "stream_tags_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "streams" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`
      CREATE TABLE "shard_owners" (
        "id" varchar(128) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "shard_owners_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "shard_leases" (
        "stream_id" uuid NOT NULL,
        "shard_index" integer NOT NULL,
        "owner" varchar(128) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "epoch" bigint NOT NULL DEFAULT 1,
        CONSTRAINT "shard_leases_pkey" PRIMARY KEY ("stream_id", "shard_index"),
        CONSTRAINT "shard_leases_shard_fk" FOREIGN KEY ("stream_id", "shard_index")
          REFERENCES "shards" ("stream_id", "shard_index") ON DELETE CASCADE,
        CONSTRAINT "shard_leases_epoch_chk" CHECK ("epoch" >= 1)
      )`);
    await queryRunner.query(`CREATE INDEX "shard_leases_owner_idx" ON "shard_leases" ("owner")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "shard_leases"`);
    await queryRunner.query(`DROP TABLE "shard_owners"`);
    await queryRunner.query(`DROP TABLE "stream_tags"`);
    await queryRunner.query(`DROP TABLE "shards"`);
    await queryRunner.query(`DROP TABLE "streams"`);
  }
}
