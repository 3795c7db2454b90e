import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AnalyticsApplicationEntity } from './analytics-application.entity';

/** One version of an analytics application's SQL (every create and update adds one). */
@Entity('analytics_application_versions')
export class AnalyticsApplicationVersionEntity {
  @PrimaryColumn({ name: 'application_id', type: 'uuid', primaryKeyConstraintName: 'analytics_application_versions_pkey' })
  applicationId!: string;

  @ManyToOne(() => AnalyticsApplicationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'analytics_application_versions_application_fkey' })
  application?: AnalyticsApplicationEntity;

  @PrimaryColumn({ name: 'version', type: 'integer', primaryKeyConstraintName: 'analytics_application_versions_pkey' })
  version!: number;

  @Column({ name: 'sql', type: 'text' })
  sql!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
