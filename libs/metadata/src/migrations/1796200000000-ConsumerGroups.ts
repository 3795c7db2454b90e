import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Server-side consumer groups: groups per stream, their members, shard leases and checkpoints. */
export class ConsumerGroups1796200000000 implements MigrationInterface {
  name = 'ConsumerGroups1796200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "consumer_groups" (
        "id" uuid NOT NULL,
        "stream_id" uuid NOT NULL,
        "name" varchar(128) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "consumer_groups_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "consumer_groups_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "streams" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "consumer_groups_stream_name_uq" ON "consumer_groups" ("stream_id", "name")`);
    await queryRunner.query(`
      CREATE TABLE "group_members" (
        "id" varchar(128) NOT NULL,
        "group_id" uuid NOT NULL,
        "joined_at" timestamptz NOT NULL DEFAULT now(),
        "heartbeat_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "group_members_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "group_members_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "consumer_groups" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "group_members_group_id_idx" ON "group_members" ("group_id")`);
    await queryRunner.query(`
      CREATE TABLE "group_leases" (
        "group_id" uuid NOT NULL,
        "shard_index" integer NOT NULL,
        "member_id" varchar(128),
        "epoch" bigint NOT NULL DEFAULT 1,
        "assigned_at" timestamptz NOT NULL DEFAULT now(),
        "ready_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "group_leases_pkey" PRIMARY KEY ("group_id", "shard_index"),
        CONSTRAINT "group_leases_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "consumer_groups" ("id") ON DELETE CASCADE,
        CONSTRAINT "group_leases_member_id_fk" FOREIGN KEY ("member_id") REFERENCES "group_members" ("id") ON DELETE SET NULL,
        CONSTRAINT "group_leases_epoch_chk" CHECK ("epoch" >= 1)
      )`);
    await queryRunner.query(`CREATE INDEX "group_leases_member_id_idx" ON "group_leases" ("member_id")`);
    await queryRunner.query(`
      CREATE TABLE "group_checkpoints" (
        "group_id" uuid NOT NULL,
        "shard_index" integer NOT NULL,
        "sequence_number" varchar(64) NOT NULL,
        "shard_end" boolean NOT NULL DEFAULT false,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "group_checkpoints_pkey" PRIMARY KEY ("group_id", "shard_index"),
        CONSTRAINT "group_checkpoints_group_id_fk" FOREIGN KEY ("group_id") REFERENCES "consumer_groups" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "group_checkpoints"`);
    await queryRunner.query(`DROP TABLE "group_leases"`);
    await queryRunner.query(`DROP TABLE "group_members"`);
    await queryRunner.query(`DROP TABLE "consumer_groups"`);
  }
}
