import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-stream MaxRecordSizeInKiB (UpdateMaxRecordSize) and resource policies of streams and consumers. */
export class ResourcePoliciesAndMaxRecordSize1796000000000 implements MigrationInterface {
  name = 'ResourcePoliciesAndMaxRecordSize1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "streams" ADD "max_record_size_kib" integer NOT NULL DEFAULT 1024`);
    await queryRunner.query(
      `ALTER TABLE "streams" ADD CONSTRAINT "streams_max_record_size_kib_chk" CHECK ("max_record_size_kib" BETWEEN 1024 AND 10240)`,
    );
    // Keyed by ARN so a consumer's policy fits too; it goes when its stream's row is purged.
    await queryRunner.query(`
      CREATE TABLE "resource_policies" (
        "resource_arn" varchar(2048) NOT NULL,
        "stream_id" uuid NOT NULL,
        "policy" text NOT NULL,
        "updated_at" timestamptz NOT NULL,
        CONSTRAINT "resource_policies_pkey" PRIMARY KEY ("resource_arn"),
        CONSTRAINT "resource_policies_stream_id_fk" FOREIGN KEY ("stream_id") REFERENCES "streams" ("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "resource_policies_stream_id_idx" ON "resource_policies" ("stream_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "resource_policies"`);
    await queryRunner.query(`ALTER TABLE "streams" DROP CONSTRAINT "streams_max_record_size_kib_chk"`);
    await queryRunner.query(`ALTER TABLE "streams" DROP COLUMN "max_record_size_kib"`);
  }
}
