import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What an analytics application is doing: READY (never started or reset), STARTING, RUNNING, STOPPED. */
export type StoredAnalyticsStatus = 'READY' | 'STARTING' | 'RUNNING' | 'STOPPED';

/**
 * An analytics application: its input mapping, SQL, outputs (all JSON documents of the
 * analytics lib's shapes) and, once it ran, its checkpoint — the source positions per shard
 * and the compiled application's window state, written together.
 */
@Entity('analytics_applications')
@Index('analytics_applications_name_key', ['name'], { unique: true })
@Check('analytics_applications_status_chk', `"status" IN ('READY', 'STARTING', 'RUNNING', 'STOPPED')`)
@Check('analytics_applications_position_chk', `"starting_position" IS NULL OR "starting_position" IN ('NOW', 'TRIM_HORIZON', 'LAST_STOPPED_POINT')`)
export class AnalyticsApplicationEntity {
  @PrimaryColumn({ name: 'id', type: 'uuid', primaryKeyConstraintName: 'analytics_applications_pkey' })
  id!: string;

  @Column({ name: 'name', type: 'varchar', length: 128 })
  name!: string;

  @Column({ name: 'description', type: 'text', default: '' })
  description!: string;

  @Column({ name: 'input', type: 'jsonb' })
  input!: unknown;

  @Column({ name: 'sql', type: 'text' })
  sql!: string;

  /** Bumped by every update of the SQL or outputs; versions of the SQL are kept in analytics_application_versions. */
  @Column({ name: 'version', type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'outputs', type: 'jsonb' })
  outputs!: unknown;

  @Column({ name: 'status', type: 'varchar', length: 16, default: 'READY' })
  status!: StoredAnalyticsStatus;

  @Column({ name: 'starting_position', type: 'varchar', length: 24, nullable: true })
  startingPosition!: string | null;

  @Column({ name: 'checkpoint', type: 'jsonb', nullable: true })
  checkpoint!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
