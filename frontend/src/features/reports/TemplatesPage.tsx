import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError, toApiError } from '../../api/problem';
import { FormAlert } from '../../components/FormAlert';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useAllTemplates, useCreateTemplate, type PeriodKind, type ReportTemplate, type ReportTemplateCreate } from './api';
import { definitionPath } from './labels';

const PERIOD_KINDS: PeriodKind[] = ['quarter', 'half_year', 'year', 'any'];
const FIELDS = ['code', 'name', 'period_kind'] as const;
// A new form starts from one free-text section: the smallest valid definition.
const SKELETON = { title: 'BÁO CÁO', sections: [{ kind: 'text', key: 'assessment', title: 'Đánh giá chung' }] };

interface TemplateValues {
  code: string;
  name: string;
  period_kind: PeriodKind;
  definition: string;
}

/** Report templates (administrators): every version, a version's definition, a new version. */
export default function TemplatesPage() {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useAllTemplates();
  const [viewing, setViewing] = useState<ReportTemplate | null>(null);
  const [editing, setEditing] = useState<{ base: ReportTemplate | null } | null>(null);
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  const latest = new Map<string, number>();
  for (const tpl of data ?? []) latest.set(tpl.code, Math.max(latest.get(tpl.code) ?? 0, tpl.version));
  const rows = [...(data ?? [])].sort((a, b) => a.code.localeCompare(b.code) || b.version - a.version);
  return (
    <section aria-labelledby="templates-title">
      <div className="page-header">
        <div>
          <Typography.Title level={2} id="templates-title">
            {t('templates.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('templates.intro')}</Typography.Text>
        </div>
        <Space wrap>
          <Link to="/reports">{t('templates.back')}</Link>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ base: null })}>
            {t('templates.new')}
          </Button>
        </Space>
      </div>
      <Card>
        <Table<ReportTemplate>
          rowKey="id"
          loading={isPending}
          dataSource={rows}
          pagination={false}
          data-testid="templates"
          scroll={{ x: 960 }}
          columns={[
            { title: t('templates.code'), dataIndex: 'code', width: 200, render: (code: string) => <span className="mono">{code}</span> },
            { title: t('templates.name'), dataIndex: 'name' },
            {
              title: t('templates.version'),
              key: 'version',
              width: 150,
              render: (_, r) => (
                <Space size={4}>
                  {`v${r.version}`}
                  {latest.get(r.code) === r.version ? <Tag color="success">{t('templates.latest')}</Tag> : null}
                </Space>
              ),
            },
            { title: t('templates.periodKind'), key: 'period', width: 120, render: (_, r) => t(`periodKind.${r.period_kind}`) },
            { title: t('templates.createdAt'), dataIndex: 'created_at', width: 150, render: (d: string) => formatDateTime(d) },
            {
              title: '',
              key: 'actions',
              width: 260,
              render: (_, r) => (
                <Space wrap>
                  <Button size="small" onClick={() => setViewing(r)} aria-label={t('templates.viewOf', { code: r.code, version: r.version })}>
                    {t('templates.view')}
                  </Button>
                  {latest.get(r.code) === r.version ? (
                    <Button size="small" onClick={() => setEditing({ base: r })} aria-label={t('templates.newVersionOf', { code: r.code })}>
                      {t('templates.newVersion')}
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {viewing ? <DefinitionModal template={viewing} onClose={() => setViewing(null)} /> : null}
      {editing ? <EditorModal base={editing.base} onClose={() => setEditing(null)} /> : null}
    </section>
  );
}

function DefinitionModal({ template, onClose }: { template: ReportTemplate; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open
      width={760}
      title={t('templates.viewTitle', { name: template.name, version: template.version })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{t('templates.close')}</Button>}
    >
      <Descriptions
        size="small"
        column={{ xs: 1, md: 3 }}
        items={[
          { key: 'code', label: t('templates.code'), children: <span className="mono">{template.code}</span> },
          { key: 'version', label: t('templates.version'), children: `v${template.version}` },
          { key: 'period', label: t('templates.periodKind'), children: t(`periodKind.${template.period_kind}`) },
        ]}
      />
      <pre className="json-view" data-testid="template-definition" tabIndex={0} role="region" aria-label={t('templates.definition')}>
        {JSON.stringify(template.definition, null, 2)}
      </pre>
    </Modal>
  );
}

function EditorModal({ base, onClose }: { base: ReportTemplate | null; onClose: () => void }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<TemplateValues>();
  const problem = useFormProblem(form, FIELDS);
  const [definitionErrors, setDefinitionErrors] = useState<{ path: string; text: string }[]>([]);
  const create = useCreateTemplate();

  const submit = async (v: TemplateValues) => {
    problem.clear();
    setDefinitionErrors([]);
    let definition: unknown;
    try {
      definition = JSON.parse(v.definition);
    } catch (e) {
      form.setFields([{ name: 'definition', errors: [t('templates.badJson', { error: e instanceof Error ? e.message : String(e) })] }]);
      return;
    }
    try {
      const created = await create.mutateAsync({
        code: v.code.trim(),
        name: v.name.trim(),
        period_kind: v.period_kind,
        definition: definition as ReportTemplateCreate['definition'],
      });
      message.success(t('templates.created', { code: created.code, version: created.version }));
      onClose();
    } catch (e) {
      const p = toApiError(e).problem;
      // The definition's errors, each with the place in the JSON it is about; the others go
      // next to their fields (or above the form).
      const inDefinition = (p.errors ?? []).filter((x) => x.field.startsWith('definition'));
      const rest = (p.errors ?? []).filter((x) => !x.field.startsWith('definition'));
      setDefinitionErrors(inDefinition.map((x) => ({ path: definitionPath(x.field), text: te(x.code, x.message, x.params) })));
      if (inDefinition.length) form.setFields([{ name: 'definition', errors: [t('templates.definitionErrors', { n: inDefinition.length })] }]);
      if (rest.length || !inDefinition.length) problem.show(new ApiError({ ...p, errors: rest }));
    }
  };

  const initial: TemplateValues = base
    ? { code: base.code, name: base.name, period_kind: base.period_kind, definition: JSON.stringify(base.definition, null, 2) }
    : { code: '', name: '', period_kind: 'year', definition: JSON.stringify(SKELETON, null, 2) };
  return (
    <Modal
      open
      width={820}
      title={base ? t('templates.newVersionTitle', { code: base.code, version: base.version + 1 }) : t('templates.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      <FormAlert messages={problem.general} />
      <Form<TemplateValues> form={form} name="report-template" layout="vertical" onFinish={(v) => void submit(v)} initialValues={initial}>
        <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
          <Form.Item name="code" label={t('templates.code')} extra={base ? t('templates.codeKept') : t('templates.codeHint')} rules={[{ required: true, message: te('required', '') }]}>
            <Input maxLength={64} disabled={Boolean(base)} style={{ width: 240 }} />
          </Form.Item>
          <Form.Item name="period_kind" label={t('templates.periodKind')} rules={[{ required: true, message: te('required', '') }]}>
            <Select style={{ width: 160 }} options={PERIOD_KINDS.map((k) => ({ value: k, label: t(`periodKind.${k}`) }))} />
          </Form.Item>
        </div>
        <Form.Item name="name" label={t('templates.name')} rules={[{ required: true, whitespace: true, message: te('required', '') }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="definition" label={t('templates.definition')} extra={t('templates.definitionHint')} rules={[{ required: true, message: te('required', '') }]}>
          <Input.TextArea className="json-edit" spellCheck={false} autoSize={{ minRows: 12, maxRows: 24 }} />
        </Form.Item>
        {definitionErrors.length ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="definition-errors"
            title={t('templates.definitionErrors', { n: definitionErrors.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {definitionErrors.map((d) => (
                  <li key={`${d.path} ${d.text}`}>
                    <span className="mono">{d.path}</span>: {d.text}
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}
      </Form>
    </Modal>
  );
}
