import type { SupplierGrade } from '../../api/types';
import { useI18n } from '../../i18n/i18n';

const TONE: Record<SupplierGrade, string> = { new: '', reliable: 'ok', erratic: 'warn' };

/** R8: the supplier's grade, the word and a colour; the title says what it means. */
export function GradeBadge({ grade }: { grade: SupplierGrade }) {
  const { t } = useI18n();
  return (
    <span className={`badge ${TONE[grade]}`.trim()} title={t(`suppliers.grade.${grade}.hint`)} data-grade={grade}>
      {t(`suppliers.grade.${grade}`)}
    </span>
  );
}
