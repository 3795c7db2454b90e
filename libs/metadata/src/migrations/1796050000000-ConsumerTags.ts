import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tags of enhanced fan-out consumers (RegisterStreamConsumer's Tags, TagResource on a consumer ARN). */
export class ConsumerTags1796050000000 implements MigrationInterface {
  name = 'ConsumerTags1796050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "consumer_tags" (
        "consumer_id" uuid NOT NULL,
        "key" varchar(128) NOT NULL,
        "value" varchar(256),
        CONSTRAINT "consumer_tags_pkey" PRIMARY KEY ("consumer_id", "key"),
        CONSTRAINT "consumer_tags_consumer_id_fk" FOREIGN KEY ("consumer_id") REFERENCES "stream_consumers" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "consumer_tags"`);
  }
}
