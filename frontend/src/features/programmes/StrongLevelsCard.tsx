import { App, Button, Card, Select, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { useSchemes, type SchemeRead } from '../evaluations/api';
import { useUpdateProgramme, type ProgrammeDetail } from './api';

interface Levels {
  levels: { code: string; name: string }[];
  strong_levels: string[];
}

/** The newest version of each scheme (the levels a programme's mapping names). */
function newestPerCode(schemes: SchemeRead[] | undefined): SchemeRead[] {
  const out = new Map<string, SchemeRead>();
  for (const s of schemes ?? []) {
    const seen = out.get(s.code);
    if (!seen || s.version > seen.version) out.set(s.code, s);
  }
  return [...out.values()].sort((a, b) => a.effective_from.localeCompare(b.effective_from));
}

/**
 * Which evaluation levels count as "vững mạnh" for the programme, per scheme: the provincial
 * federation's decision. A scheme left empty keeps its own mapping (shown as the placeholder).
 */
export function StrongLevelsCard({ programme }: { programme: ProgrammeDetail }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const { data: schemes } = useSchemes();
  const update = useUpdateProgramme(programme);
  const [value, setValue] = useState<Record<string, string[]>>(() => ({ ...programme.strong_levels }));
  const newest = useMemo(() => newestPerCode(schemes), [schemes]);

  const save = async () => {
    const mapping = Object.fromEntries(Object.entries(value).filter(([, levels]) => levels.length > 0));
    try {
      await update.mutateAsync({ strong_levels: mapping });
      message.success(t('programmeEdit.strongSaved'));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(p.errors?.length ? p.errors.map((x) => te(x.code, x.message ?? '', x.params)).join(' ') : te(p.code, p.detail || '', p.params));
    }
  };

  return (
    <Card title={t('programmeEdit.strongTitle')} data-testid="strong-levels">
      <Typography.Paragraph type="secondary">{t('programmeEdit.strongIntro')}</Typography.Paragraph>
      {newest.map((s) => {
        const def = s.definition as unknown as Levels;
        const name = (code: string) => def.levels.find((l) => l.code === code)?.name ?? code;
        const label = `${t('programmeEdit.strongFor')} ${s.code}`;
        return (
          <div key={s.code} style={{ marginBottom: 16 }} data-testid={`strong-levels-${s.code}`}>
            <div>
              <Typography.Text strong>{s.name}</Typography.Text> <Typography.Text type="secondary">({s.code})</Typography.Text>
            </div>
            <Select
              mode="multiple"
              allowClear
              style={{ width: '100%', maxWidth: 640 }}
              aria-label={label}
              placeholder={t('programmeEdit.strongDefault', { levels: def.strong_levels.map(name).join(', ') })}
              value={value[s.code] ?? []}
              options={def.levels.map((l) => ({ value: l.code, label: l.name }))}
              onChange={(levels: string[]) => setValue((v) => ({ ...v, [s.code]: levels }))}
            />
          </div>
        );
      })}
      {/* Disabled, not "loading", while saving: a loading primary button is faded below the
          contrast minimum. */}
      <Button type="primary" disabled={update.isPending} onClick={() => void save()}>
        {t('common.save')}
      </Button>
    </Card>
  );
}
