import { CalendarOutlined, PlusOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { LoadNote } from '../../components/SelectNote';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, formatDate, formatNumber, toApiDate } from '../../lib/format';
import { useFormProblem } from '../../lib/useFormProblem';
import { useUrlFilters } from '../../lib/urlState';
import { useAuth } from '../auth/context';
import { useUnion } from '../unions/api';
import { ChildUnionsSelect } from '../unions/ChildUnionsSelect';
import { UnionSelect } from '../unions/UnionSelect';
import { useCourseKinds, useCourses, useCreateCourse, type CourseRead } from './api';
import { MONTH_PARAM, parseMonth } from './calendar';
import { CoursesCalendar } from './CoursesCalendar';
import { COURSE_STATUSES, COURSE_STATUS_COLOR, courseStatusLabel } from './labels';
import { FilterField } from '../../components/FilterField';

const YEARS = Array.from({ length: 10 }, (_, i) => 2018 + i);
/** Kept in the address bar: back from a course returns to the same view, month and filters. */
const FILTERS = { view: 'string', month: 'string', union_id: 'string', year: 'int', status: 'list', page: 'int' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default function CoursesPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { values, update } = useUrlFilters(FILTERS);
  const calendar = values.view === 'calendar';
  const month = parseMonth(values.month) ?? dayjs().startOf('month');
  const unionId = values.union_id && UUID.test(values.union_id) ? values.union_id : undefined;
  const union = useUnion(unionId);
  const year = values.year;
  const status = (values.status ?? []).filter((s): s is CourseRead['status'] => (COURSE_STATUSES as readonly string[]).includes(s));
  const page = values.page ?? 1;
  const [creating, setCreating] = useState(false);
  const { data, isPending, isError, error, refetch } = useCourses({
    union_id: unionId,
    year,
    status: status.length ? status : undefined,
    page,
    size: 20,
  }, !calendar);

  const columns: ColumnsType<CourseRead> = [
    {
      key: 'title',
      title: t('course.title'),
      render: (_, c) => (
        <div>
          <Link to={`/training/courses/${c.id}`}>{c.title}</Link>
          <div className="muted-small">{c.kind_name}</div>
        </div>
      ),
    },
    { key: 'organiser', title: t('course.organiser'), render: (_, c) => c.organiser_union_name },
    { key: 'dates', title: t('course.dates'), width: 200, render: (_, c) => `${formatDate(c.starts_on)} – ${formatDate(c.ends_on)}` },
    {
      key: 'roster',
      title: t('course.roster'),
      width: 140,
      align: 'right',
      render: (_, c) => `${formatNumber(c.counts.accepted ?? 0)}${c.seats ? ` / ${formatNumber(c.seats)}` : ''}`,
    },
    {
      key: 'status',
      title: t('course.status'),
      width: 170,
      render: (_, c) => <Tag color={COURSE_STATUS_COLOR[c.status]}>{courseStatusLabel(t, c.status)}</Tag>,
    },
  ];

  return (
    <section aria-labelledby="courses-title">
      <div className="page-header">
        <Typography.Title level={2} id="courses-title">
          {t('courses.title')}
        </Typography.Title>
        {can('training:manage') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('courses.create')}
          </Button>
        ) : null}
      </div>
      <Card>
        <Space wrap align="end" style={{ marginBottom: 16 }}>
          <FilterField label={t('courses.view')}>
            <Segmented<'list' | 'calendar'>
              aria-label={t('courses.view')}
              value={calendar ? 'calendar' : 'list'}
              onChange={(v) => update({ view: v === 'calendar' ? 'calendar' : undefined })}
              options={[
                { value: 'list', label: t('courses.viewList'), icon: <UnorderedListOutlined /> },
                { value: 'calendar', label: t('courses.viewCalendar'), icon: <CalendarOutlined /> },
              ]}
            />
          </FilterField>
          <FilterField label={t('courses.union')}>
            <UnionSelect
              aria-label={t('courses.union')}
              style={{ width: 300 }}
              value={unionId}
              initialOption={union.data ? { id: union.data.id, name: union.data.name, code: union.data.code } : null}
              onChange={(v) => update({ union_id: v || undefined })}
            />
          </FilterField>
          {calendar ? null : (
            <FilterField label={t('courses.year')}>
              <Select
                allowClear
                placeholder={t('courses.year')}
                aria-label={t('courses.year')}
                style={{ width: 120 }}
                value={year}
                onChange={(v) => update({ year: v })}
                options={YEARS.map((y) => ({ value: y, label: String(y) }))}
              />
            </FilterField>
          )}
          <FilterField label={t('course.status')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={t('course.status')}
              aria-label={t('course.status')}
              style={{ minWidth: 220 }}
              value={status}
              onChange={(v) => update({ status: v })}
              options={COURSE_STATUSES.map((s) => ({ value: s, label: courseStatusLabel(t, s) }))}
            />
          </FilterField>
        </Space>
        {calendar ? (
          <CoursesCalendar
            month={month}
            onMonth={(m) => update({ month: m.format(MONTH_PARAM) })}
            filters={{ union_id: unionId, status: status.length ? status : undefined }}
          />
        ) : isError ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<CourseRead>
            rowKey="id"
            loading={isPending}
            columns={columns}
            dataSource={data?.items ?? []}
            locale={{ emptyText: <EmptyState description={t('courses.none')} /> }}
            pagination={{
              current: page,
              pageSize: 20,
              total: data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => update({ page: p }),
              showTotal: (n) => <span data-testid="course-total">{t('courses.total', { n: formatNumber(n) })}</span>,
            }}
            scroll={{ x: 900 }}
          />
        )}
      </Card>
      {creating ? <CreateCourseModal onClose={() => setCreating(false)} /> : null}
    </section>
  );
}

interface CourseForm {
  title: string;
  kind_id: string;
  organiser_union_id: string;
  starts_on: Parameters<typeof toApiDate>[0];
  ends_on: Parameters<typeof toApiDate>[0];
  seats?: number;
  provider?: string;
  place?: string;
  planned_budget?: number;
  invited_union_ids?: string[];
}

const FORM_FIELDS = ['title', 'kind_id', 'organiser_union_id', 'starts_on', 'ends_on', 'seats', 'provider', 'place', 'planned_budget', 'invited_union_ids'];

function CreateCourseModal({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CourseForm>();
  const problem = useFormProblem(form, FORM_FIELDS);
  const kinds = useCourseKinds();
  const create = useCreateCourse();
  const home = me?.roles[0];
  const organiser = Form.useWatch('organiser_union_id', form);
  const submit = async (v: CourseForm) => {
    try {
      const course = await create.mutateAsync({
        title: v.title,
        kind_id: v.kind_id,
        organiser_union_id: v.organiser_union_id,
        starts_on: toApiDate(v.starts_on)!,
        ends_on: toApiDate(v.ends_on)!,
        seats: v.seats ?? null,
        provider: v.provider || null,
        place: v.place || null,
        planned_budget: v.planned_budget ?? null,
        invited_union_ids: v.invited_union_ids ?? [],
      });
      message.success(t('courses.created', { title: course.title }));
      onClose();
      navigate(`/training/courses/${course.id}`);
    } catch (e) {
      const mapped = problem.show(e);
      if (mapped.general.length) message.error(mapped.general.join(' '));
    }
  };
  return (
    <Modal open title={t('courses.createTitle')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.save')} confirmLoading={create.isPending} destroyOnHidden>
      <Form<CourseForm>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ organiser_union_id: home?.union_id }}
      >
        <Form.Item name="title" label={t('course.title')} rules={[{ required: true }]}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="kind_id" label={t('course.kind')} rules={[{ required: true }]}>
          <Select loading={kinds.isPending} notFoundContent={<LoadNote fetching={kinds.isPending} failed={kinds.isError} />} options={(kinds.data ?? []).map((k) => ({ value: k.id, label: k.name }))} />
        </Form.Item>
        <Form.Item name="organiser_union_id" label={t('course.organiser')} rules={[{ required: true }]}>
          <UnionSelect
            initialOption={home ? { id: home.union_id, name: home.union_name } : null}
            // The invited unions are the organiser's children: another organiser, another list.
            onChange={() => form.setFieldValue('invited_union_ids', [])}
          />
        </Form.Item>
        <Form.Item name="invited_union_ids" label={t('course.invited')} extra={t('course.invitedHint')}>
          <ChildUnionsSelect parentId={organiser} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="starts_on" label={t('course.startsOn')} rules={[{ required: true }]}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="ends_on" label={t('course.endsOn')} rules={[{ required: true }]}>
            <DatePicker format={DATE_FORMAT} />
          </Form.Item>
          <Form.Item name="seats" label={t('course.seats')}>
            <InputNumber min={1} max={100000} />
          </Form.Item>
        </Space>
        <Form.Item name="provider" label={t('course.provider')}>
          <Input maxLength={255} />
        </Form.Item>
        <Form.Item name="place" label={t('course.place')}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="planned_budget" label={t('course.plannedBudget')}>
          <InputNumber min={0} style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
