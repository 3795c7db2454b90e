import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Firehose transform plugins and their numbered versions (code kept in Postgres). */
export class TransformPlugins1796400000000 implements MigrationInterface {
  name = 'TransformPlugins1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "transform_plugins" (
        "name" varchar(64) NOT NULL,
        "latest_version" integer NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "transform_plugins_pkey" PRIMARY KEY ("name"),
        CONSTRAINT "transform_plugins_name_chk" CHECK ("name" ~ '^[A-Za-z0-9_-]{1,64}$'),
        CONSTRAINT "transform_plugins_latest_version_chk" CHECK ("latest_version" >= 0)
      )`);
    await queryRunner.query(`
      CREATE TABLE "transform_plugin_versions" (
        "plugin_name" varchar(64) NOT NULL,
        "version" integer NOT NULL,
        "kind" varchar(8) NOT NULL,
        "handler" varchar(128) NOT NULL,
        "code" bytea NOT NULL,
        "code_sha256" char(64) NOT NULL,
        "code_size" integer NOT NULL,
        "environment" jsonb NOT NULL DEFAULT '{}',
        "memory_mib" integer NOT NULL,
        "timeout_seconds" integer NOT NULL,
        "description" text NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "transform_plugin_versions_pkey" PRIMARY KEY ("plugin_name", "version"),
        CONSTRAINT "transform_plugin_versions_plugin_name_fk" FOREIGN KEY ("plugin_name") REFERENCES "transform_plugins" ("name") ON DELETE CASCADE,
        CONSTRAINT "transform_plugin_versions_kind_chk" CHECK ("kind" IN ('js', 'mjs', 'tgz')),
        CONSTRAINT "transform_plugin_versions_version_chk" CHECK ("version" >= 1),
        CONSTRAINT "transform_plugin_versions_memory_chk" CHECK ("memory_mib" BETWEEN 32 AND 10240),
        CONSTRAINT "transform_plugin_versions_timeout_chk" CHECK ("timeout_seconds" BETWEEN 1 AND 300)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "transform_plugin_versions"`);
    await queryRunner.query(`DROP TABLE "transform_plugins"`);
  }
}
