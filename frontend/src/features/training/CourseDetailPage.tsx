import { DownloadOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Breadcrumb, Button, Card, Descriptions, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { LoadNote } from '../../components/SelectNote';
import { toApiError } from '../../api/problem';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { downloadFile } from '../../lib/download';
import { formatDate, formatNumber } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { useFail } from '../../lib/useFail';
import { useAuth } from '../auth/context';
import { useMemberList } from '../members/api';
import {
  useAddParticipants,
  useCourse,
  useDecide,
  useRecordResults,
  useRoster,
  useUpdateCourse,
  type CourseRead,
  type ParticipantRead,
  type ResultEntry,
} from './api';
import { AttendanceCard } from './AttendanceCard';
import { ParticipantName } from './ParticipantName';
import { RosterImportModal } from './RosterImport';
import { COURSE_STATUS_COLOR, NEXT_STATUS, courseStatusLabel, kindLabel, levelLabel, participantStatusLabel } from './labels';

export default function CourseDetailPage() {
  const { courseId = '' } = useParams();
  const { data: course, isPending, isError, error, refetch } = useCourse(courseId);
  if (isPending) return <LoadingState />;
  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;
  return <Course course={course} />;
}


function Course({ course }: { course: CourseRead }) {
  const { t } = useI18n();
  const fail = useFail();
  const update = useUpdateCourse(course);
  const manage = course.may_manage;
  const roster = useRoster(course.id);
  const dash = '—';
  const [importing, setImporting] = useState(false);
  const navigate = useNavigate();
  const doExport = () => downloadFile(`/api/v1/training/courses/${course.id}/roster.xlsx`, {}, 'danh-sach-hoc-vien.xlsx').catch(fail);

  return (
    <section aria-labelledby="course-title">
      <Breadcrumb items={[{ title: <Link to="/training/courses">{t('courses.title')}</Link> }, { title: course.title }]} />
      <div className="page-header">
        <Typography.Title level={2} id="course-title">
          {course.title}
        </Typography.Title>
        <Space wrap>
          <Tag color={COURSE_STATUS_COLOR[course.status]} data-testid="course-status">
            {courseStatusLabel(t, course.status)}
          </Tag>
          {manage
            ? NEXT_STATUS[course.status].map((s) => (
                <Button
                  key={s}
                  loading={update.isPending}
                  onClick={() => update.mutateAsync({ status: s as CourseRead['status'] }).catch(fail)}
                >
                  {t('course.setStatus', { status: courseStatusLabel(t, s) })}
                </Button>
              ))
            : null}
        </Space>
      </div>
      <Card>
        <Descriptions
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'kind', label: t('course.kind'), children: course.kind_name },
            {
              key: 'qualifies',
              label: t('course.qualifies'),
              children: course.qualification_kind
                ? `${kindLabel(t, course.qualification_kind)}: ${levelLabel(course.qualification_level, course.qualification_kind)}`
                : dash,
            },
            { key: 'organiser', label: t('course.organiser'), children: course.organiser_union_name },
            { key: 'provider', label: t('course.provider'), children: course.provider ?? dash },
            { key: 'dates', label: t('course.dates'), children: `${formatDate(course.starts_on)} – ${formatDate(course.ends_on)}` },
            { key: 'place', label: t('course.place'), children: course.online ? t('course.online') : course.place ?? dash },
            { key: 'seats', label: t('course.seats'), children: course.seats ? formatNumber(course.seats) : dash },
            {
              key: 'budget',
              label: t('course.budget'),
              children: `${course.planned_budget != null ? formatNumber(course.planned_budget) : dash} / ${course.actual_budget != null ? formatNumber(course.actual_budget) : dash}`,
            },
            { key: 'invited', label: t('course.invited'), children: course.invited.map((u) => u.union_name).join('; ') || dash },
          ]}
        />
      </Card>
      <Card
        title={`${t('course.roster')} · ${t('course.accepted', { n: formatNumber(course.counts.accepted ?? 0) })}`}
        style={{ marginTop: 16 }}
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <Button icon={<DownloadOutlined />} onClick={() => void doExport()}>
            {t('course.export')}
          </Button>
          {manage && course.status !== 'cancelled' ? (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('course.import')}
            </Button>
          ) : null}
          <Button icon={<PrinterOutlined />} onClick={() => navigate(`/print/training/courses/${course.id}/roster`)}>
            {t('course.print')}
          </Button>
        </Space>
        <AddPeople course={course} />
        <Roster course={course} rows={roster.data ?? []} loading={roster.isPending} />
      </Card>
      <AttendanceCard course={course} roster={roster.data ?? []} loading={roster.isPending} />
      {importing ? <RosterImportModal course={course} onClose={() => setImporting(false)} /> : null}
    </section>
  );
}

function AddPeople({ course }: { course: CourseRead }) {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const nominate = !course.may_manage;
  const add = useAddParticipants(course.id, nominate);
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const q = useDebounced(search.trim(), 250);
  const members = useMemberList({ q: q || undefined, size: 20 });
  const open = course.status !== 'finished' && course.status !== 'cancelled';
  const allowed = nominate ? course.status === 'open_for_nominations' && can('training:nominate') : open;
  if (!allowed) return null;
  const submit = async () => {
    try {
      const rows = await add.mutateAsync(picked);
      setPicked([]);
      message.success(t(nominate ? 'course.nominated' : 'course.added', { n: rows.length }));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.errors?.[0]?.code ?? p.code, p.detail || '', p.errors?.[0]?.params ?? p.params));
    }
  };
  return (
    <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
      <Select
        mode="multiple"
        showSearch
        filterOption={false}
        value={picked}
        onChange={setPicked}
        onSearch={setSearch}
        placeholder={t('course.addHint')}
        aria-label={nominate ? t('course.nominate') : t('course.addParticipants')}
        loading={members.isFetching}
        notFoundContent={<LoadNote fetching={members.isFetching} failed={members.isError} />}
        style={{ width: '100%' }}
        // Namesakes are common (four "Trần Thị An" in one province): the birth date and the card
        // number tell them apart.
        options={(members.data?.items ?? []).map((m) => ({
          value: m.id,
          label: [m.full_name, formatDate(m.date_of_birth), m.card_number, m.union_name].filter(Boolean).join(' · '),
        }))}
      />
      <Button type="primary" disabled={!picked.length} loading={add.isPending} onClick={() => void submit()}>
        {nominate ? t('course.nominate') : t('course.addParticipants')}
      </Button>
    </Space.Compact>
  );
}

type Draft = Record<string, Partial<ResultEntry>>;

function Roster({ course, rows, loading }: { course: CourseRead; rows: ParticipantRead[]; loading: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const fail = useFail();
  const decide = useDecide(course.id);
  const results = useRecordResults(course.id);
  const [draft, setDraft] = useState<Draft>({});
  const manage = course.may_manage;
  const editable = manage && (course.status === 'running' || course.status === 'finished');
  const value = (p: ParticipantRead) => ({
    result: p.result ?? null,
    certificate_no: p.certificate_no ?? null,
    certificate_date: p.certificate_date ?? null,
    ...draft[p.id],
  });
  const set = (id: string, patch: Partial<ResultEntry>) => setDraft((d) => ({ ...d, [id]: { ...d[id], ...patch } }));
  const save = async () => {
    const entries: ResultEntry[] = Object.keys(draft).map((id) => {
      const p = rows.find((r) => r.id === id)!;
      const v = value(p);
      return { participant_id: id, result: v.result ?? null, certificate_no: v.certificate_no || null, certificate_date: v.certificate_date || null };
    });
    try {
      await results.mutateAsync(entries);
      setDraft({});
      message.success(t('course.resultsSaved'));
    } catch (e) {
      fail(e);
    }
  };
  const columns: ColumnsType<ParticipantRead> = [
    {
      key: 'member',
      title: t('course.member'),
      render: (_, p) => <ParticipantName p={p} />,
    },
    { key: 'union', title: t('course.union'), render: (_, p) => p.union_name },
    {
      key: 'status',
      title: t('course.participantStatus'),
      width: 190,
      render: (_, p) =>
        p.status === 'nominated' && manage ? (
          <Space>
            <Button size="small" type="primary" onClick={() => decide.mutateAsync({ accept: [p.id] }).catch(fail)}>
              {t('course.accept')}
            </Button>
            <Button size="small" onClick={() => decide.mutateAsync({ decline: [p.id] }).catch(fail)}>
              {t('course.decline')}
            </Button>
          </Space>
        ) : (
          participantStatusLabel(t, p.status)
        ),
    },
    { key: 'attended', title: t('course.sessionsAttended'), width: 110, align: 'right', render: (_, p) => formatNumber(p.sessions_attended) },
    {
      key: 'result',
      title: t('course.results'),
      width: 200,
      render: (_, p) =>
        editable && p.status === 'accepted' ? (
          <Select
            size="small"
            allowClear
            style={{ width: 180 }}
            aria-label={`${t('course.results')}: ${p.member_name}`}
            value={value(p).result ?? undefined}
            onChange={(v) => set(p.id, { result: v ?? null })}
            options={[
              { value: 'completed', label: t('result.completed') },
              { value: 'not_completed', label: t('result.not_completed') },
            ]}
          />
        ) : p.result ? (
          t(`result.${p.result}`)
        ) : (
          t('result.none')
        ),
    },
    {
      key: 'certificate',
      title: t('course.certificateNo'),
      width: 170,
      render: (_, p) =>
        editable && p.status === 'accepted' ? (
          <Input
            size="small"
            maxLength={64}
            aria-label={`${t('course.certificateNo')}: ${p.member_name}`}
            value={value(p).certificate_no ?? ''}
            onChange={(e) => set(p.id, { certificate_no: e.target.value })}
          />
        ) : (
          p.certificate_no ?? '—'
        ),
    },
  ];
  return (
    <>
      <Table<ParticipantRead> rowKey="id" size="small" loading={loading} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 900 }} />
      {editable ? (
        <Button type="primary" style={{ marginTop: 16 }} disabled={!Object.keys(draft).length} loading={results.isPending} onClick={() => void save()}>
          {t('course.saveResults')}
        </Button>
      ) : null}
    </>
  );
}
