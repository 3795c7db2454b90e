import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Enhanced fan-out: registered stream consumers and their per-shard subscription leases. */
export class StreamConsumers1795900000000 implements MigrationInterface {
  name = 'StreamConsumers1795900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "stream_consumers" (
        "id" uuid NOT NULL,
        "stream_id" uuid NOT NULL,
        "name" varchar(128) NOT NULL,
        "arn" varchar(2048) NOT NULL,
        "created_at" timestamptz NOT NULL,
        "ready_at" timestamptz NOT NULL,
        "deleting_at" timestamptz,
        "gone_at" timestamptz,
        CONSTRAINT "stream_consumers_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "stream_consumers_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "streams" ("id") ON DELETE CASCADE
      )`);
    // A name is taken only until its consumer's deregistration has finished.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "stream_consumers_name_live_uq" ON "stream_consumers" ("stream_id", "name") WHERE "gone_at" IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "stream_consumers_arn_idx" ON "stream_consumers" ("arn")`);
    await queryRunner.query(`CREATE INDEX "stream_consumers_gone_at_idx" ON "stream_consumers" ("gone_at")`);
    await queryRunner.query(`
      CREATE TABLE "consumer_subscriptions" (
        "consumer_id" uuid NOT NULL,
        "shard_index" integer NOT NULL,
        "holder" uuid NOT NULL,
        "started_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "consumer_subscriptions_pkey" PRIMARY KEY ("consumer_id", "shard_index"),
        CONSTRAINT "consumer_subscriptions_consumer_id_fk" FOREIGN KEY ("consumer_id")
          REFERENCES "stream_consumers" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "consumer_subscriptions_holder_idx" ON "consumer_subscriptions" ("holder")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "consumer_subscriptions"`);
    await queryRunner.query(`DROP TABLE "stream_consumers"`);
  }
}
