import { Tooltip } from 'antd';
import { useI18n } from '../../i18n/context';
import { industryKey, useIndustries } from './api';

/** An enterprise's VSIC code with the name of its division (or section):
 * "1410 · Sản xuất trang phục", the section on hover. */
export function IndustryName({ code }: { code: string | null | undefined }) {
  const { t } = useI18n();
  const { data } = useIndustries();
  if (!code) return <span>—</span>;
  const industry = data?.get(industryKey(code));
  if (!industry) return <span className="mono">{code}</span>;
  const section = data?.get(industry.section);
  return (
    <Tooltip title={section && section.code !== industry.code ? t('places.section', { code: section.code, name: section.name }) : undefined}>
      <span data-testid="industry-name">
        <span className="mono">{code}</span> · {industry.name}
      </span>
    </Tooltip>
  );
}
