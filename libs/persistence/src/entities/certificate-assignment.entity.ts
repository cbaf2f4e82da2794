import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `certificate_assignment`: the current/next/previous slots of one certificate type. */
@Entity({ name: 'certificate_assignment' })
export class CertificateAssignmentEntity {
  @PrimaryColumn({ type: 'text' }) type!: string;
  @Column({ name: 'current_thumbprint', type: 'char', length: 40, nullable: true }) currentThumbprint!: string | null;
  @Column({ name: 'next_thumbprint', type: 'char', length: 40, nullable: true }) nextThumbprint!: string | null;
  @Column({ name: 'next_effective_at', type: 'timestamptz', nullable: true }) nextEffectiveAt!: Date | null;
  @Column({ name: 'previous_thumbprint', type: 'char', length: 40, nullable: true }) previousThumbprint!: string | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
