import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `certificate_assignment`: the current/next/previous slots of one certificate type. */
@Entity({ name: 'certificate_assignment' })
export class CertificateAssignmentEntity {
  @PrimaryColumn({ type: 'text' }) type!: string;
  @Column({ name: 'current_thumbprint', type: 'char', length: 40, nullable: true }) currentThumbprint!: string | null;
  @Column({ name: 'next_thumbprint', type: 'char', length: 40, nullable: true }) nextThumbprint!: string | null;
  @Column({ name: 'next_effective_at', type: 'timestamptz', nullable: true }) nextEffectiveAt!: Date | null;
  @Column({ name: 'previous_thumbprint', type: 'char', length: 40, nullable: true }) previousThumbprint!: string | null;
  @Column({ name: 'next_published_at', type: 'timestamptz', nullable: true }) nextPublishedAt!: Date | null;
  @Column({ name: 'next_activate_when_fetched', type: 'boolean', default: false }) nextActivateWhenFetched!: boolean;
  @Column({ name: 'next_deadline', type: 'timestamptz', nullable: true }) nextDeadline!: Date | null;
  @Column({ name: 'next_alerted_at', type: 'timestamptz', nullable: true }) nextAlertedAt!: Date | null;
  @Column({ name: 'next_keep_previous', type: 'boolean', default: false }) nextKeepPrevious!: boolean;
  @Column({ name: 'previous_retired_at', type: 'timestamptz', nullable: true }) previousRetiredAt!: Date | null;
  @Column({ name: 'keep_previous', type: 'boolean', default: false }) keepPrevious!: boolean;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
