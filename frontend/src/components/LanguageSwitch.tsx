import { Segmented } from 'antd';
import { useI18n } from '../i18n/context';
import type { Lang } from '../i18n/lang';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      aria-label={t('shell.language')}
      value={lang}
      onChange={setLang}
      options={[
        { label: 'VI', value: 'vi', title: 'Tiếng Việt' },
        { label: 'EN', value: 'en', title: 'English' },
      ]}
    />
  );
}
