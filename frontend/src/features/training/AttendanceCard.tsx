import { CheckOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table/interface';
import dayjs from 'dayjs';
import { useState } from 'react';
import { LoadNote } from '../../components/SelectNote';
import { toApiError } from '../../api/problem';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { API_DATE, formatDate, formatNumber } from '../../lib/format';
import { useUnsavedChanges } from '../../lib/useUnsavedChanges';
import { useAttendance, useRecordAttendance, type CourseRead, type ParticipantRead } from './api';
import { attendanceBody, defaultSession, marksOn, tally, type Mark } from './attendance';
import { ParticipantName } from './ParticipantName';

/**
 * One session's attendance for the whole roster, entered at once: pick the session, mark each
 * accepted participant present or absent ("mark all present" first, then the few absent), save
 * in one request (it replaces that session's marks). Read only for whoever may not manage the
 * course, and before the course runs.
 */
export function AttendanceCard({ course, roster, loading }: { course: CourseRead; roster: ParticipantRead[]; loading: boolean }) {
  const { t, te } = useI18n();
  const { message, modal } = App.useApp();
  const sheet = useAttendance(course.id);
  const save = useRecordAttendance(course.id);
  const [chosen, setChosen] = useState<string | undefined>();
  const [edits, setEdits] = useState<Record<string, Mark>>({});
  const [problem, setProblem] = useState<string | undefined>();
  // Someone saved the sheet since it was loaded (412): the alert offers to reload it.
  const [stale, setStale] = useState(false);
  const dirty = Object.keys(edits).length > 0;
  const release = useUnsavedChanges(dirty);

  const running = course.status === 'running' || course.status === 'finished';
  const editable = course.may_manage && running;
  const sessions = sheet.data?.sessions ?? [];
  const session = chosen && sessions.includes(chosen) ? chosen : defaultSession(sessions, dayjs().format(API_DATE));
  const recorded = marksOn(sheet.data, session);
  // The sheet lists the accepted participants the caller may see; the roster gives their names.
  const onSheet = new Set(sheet.data?.rows.map((r) => r.participant_id));
  const people = roster.filter((p) => p.status === 'accepted' && onSheet.has(p.id));
  const ids = people.map((p) => p.id);
  const mark = (id: string): Mark => (id in edits ? edits[id] : recorded[id]);
  const counts = tally(ids, mark);

  const pickSession = (next: string) => {
    if (!dirty) return setChosen(next);
    modal.confirm({
      title: t('attendance.discard', { date: formatDate(session) }),
      okText: t('attendance.discardOk'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: () => {
        setEdits({});
        setProblem(undefined);
        setChosen(next);
      },
    });
  };

  const submit = async () => {
    if (!session || !sheet.data) return;
    setProblem(undefined);
    setStale(false);
    try {
      await save.mutateAsync({ body: attendanceBody(session, ids, recorded, edits), version: sheet.data.version });
      release();
      setEdits({});
      message.success(t('course.attendanceSaved', { date: formatDate(session) }));
    } catch (e) {
      const p = toApiError(e).problem;
      const field = p.errors?.[0];
      setStale(p.status === 412);
      setProblem(field ? te(field.code, field.message, field.params) : te(p.code, p.detail || '', p.params));
    }
  };

  // The other officer's marks come in underneath; this officer's unsaved edits stay on top,
  // to be checked and saved again.
  const reload = async () => {
    await sheet.refetch();
    setProblem(undefined);
    setStale(false);
  };

  const columns: ColumnsType<ParticipantRead> = [
    { key: 'no', title: '#', width: 56, align: 'right', render: (_, __, i) => formatNumber(i + 1) },
    {
      key: 'member',
      title: t('course.member'),
      render: (_, p) => <ParticipantName p={p} />,
    },
    { key: 'union', title: t('course.union'), render: (_, p) => p.union_name },
    {
      key: 'mark',
      title: t('course.attendance'),
      width: 220,
      render: (_, p) => {
        const m = mark(p.id);
        if (!editable) {
          return m ? <Tag color={m === 'present' ? 'green' : 'red'}>{t(`attendance.${m}`)}</Tag> : <Tag>{t('attendance.unmarked')}</Tag>;
        }
        return (
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            aria-label={t('attendance.of', { name: p.member_name })}
            value={m ?? null}
            onChange={(e) => {
              const next = e.target.value as Mark;
              setEdits((d) => {
                const rest = { ...d };
                if (next === recorded[p.id]) delete rest[p.id];
                else rest[p.id] = next;
                return rest;
              });
            }}
            options={[
              { value: 'present', label: t('attendance.present') },
              { value: 'absent', label: t('attendance.absent') },
            ]}
          />
        );
      },
    },
  ];

  return (
    <Card title={t('attendance.title')} style={{ marginTop: 16 }} data-testid="attendance-card">
      {sheet.isError ? (
        <ErrorState error={sheet.error} onRetry={() => void sheet.refetch()} />
      ) : (
        <>
          <Space wrap align="center" style={{ marginBottom: 12 }}>
            <label htmlFor="attendance-session">{t('attendance.session')}</label>
            <Select
              id="attendance-session"
              aria-label={t('attendance.session')}
              style={{ width: 180 }}
              loading={sheet.isPending}
              notFoundContent={<LoadNote fetching={sheet.isPending} />}
              value={session}
              onChange={pickSession}
              options={sessions.map((d) => ({ value: d, label: formatDate(d) }))}
            />
            {editable ? (
              <>
                <Button
                  icon={<CheckOutlined />}
                  disabled={!ids.length || !session}
                  onClick={() => setEdits(Object.fromEntries(ids.filter((id) => recorded[id] !== 'present').map((id) => [id, 'present' as Mark])))}
                >
                  {t('attendance.allPresent')}
                </Button>
                <Button type="primary" disabled={!dirty || !session} loading={save.isPending} onClick={() => void submit()}>
                  {t('attendance.save')}
                </Button>
              </>
            ) : null}
          </Space>
          {!editable ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={course.may_manage ? t('attendance.notRunning') : t('attendance.readOnly')}
            />
          ) : null}
          {problem ? (
            <Alert
              type="error"
              showIcon
              role="alert"
              style={{ marginBottom: 12 }}
              title={t('attendance.failed')}
              description={problem}
              data-testid="attendance-error"
              action={
                stale ? (
                  <Button icon={<ReloadOutlined />} loading={sheet.isFetching} onClick={() => void reload()}>
                    {t('common.reload')}
                  </Button>
                ) : undefined
              }
            />
          ) : null}
          <Table<ParticipantRead>
            rowKey="id"
            size="small"
            loading={loading || sheet.isPending}
            columns={columns}
            dataSource={people}
            pagination={people.length > 100 ? { pageSize: 100, showSizeChanger: false } : false}
            locale={{ emptyText: t('attendance.none') }}
            scroll={{ x: 700 }}
          />
          <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="attendance-summary">
            {t('attendance.summary', {
              present: formatNumber(counts.present),
              total: formatNumber(counts.total),
              absent: formatNumber(counts.absent),
              unmarked: formatNumber(counts.unmarked),
            })}
            {dirty ? (
              <Typography.Text strong>
                {' '}
                {t('attendance.unsaved', { n: formatNumber(Object.keys(edits).length) })}
              </Typography.Text>
            ) : null}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
