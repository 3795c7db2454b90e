import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Analytics: applications (input mapping, SQL, outputs, status, checkpoint) and the versions of their SQL. */
export class AnalyticsApplications1796600000000 implements MigrationInterface {
  name = 'AnalyticsApplications1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "analytics_applications" (
        "id" uuid NOT NULL,
        "name" varchar(128) NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "input" jsonb NOT NULL,
        "sql" text NOT NULL,
        "version" integer NOT NULL DEFAULT 1,
        "outputs" jsonb NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'READY',
        "starting_position" varchar(24),
        "checkpoint" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "analytics_applications_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "analytics_applications_status_chk" CHECK ("status" IN ('READY', 'STARTING', 'RUNNING', 'STOPPED')),
        CONSTRAINT "analytics_applications_position_chk"
          CHECK ("starting_position" IS NULL OR "starting_position" IN ('NOW', 'TRIM_HORIZON', 'LAST_STOPPED_POINT'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "analytics_applications_name_key" ON "analytics_applications" ("name")`);
    await queryRunner.query(`
      CREATE TABLE "analytics_application_versions" (
        "application_id" uuid NOT NULL,
        "version" integer NOT NULL,
        "sql" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "analytics_application_versions_pkey" PRIMARY KEY ("application_id", "version"),
        CONSTRAINT "analytics_application_versions_application_fkey"
          FOREIGN KEY ("application_id") REFERENCES "analytics_applications" ("id") ON DELETE CASCADE
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "analytics_application_versions"`);
    await queryRunner.query(`DROP TABLE "analytics_applications"`);
  }
}
