import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Calendar, DatePicker, Grid, Space, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useCourses, type CourseListQuery, type CourseRead } from './api';
import { coursesOn, monthRange } from './calendar';
import { courseStatusLabel } from './labels';

/** Courses drawn in one day's box of the full calendar; more are behind "+N". */
const PER_DAY = 3;
/** The list's largest page (core.pagination.MAX_SIZE): a month of one province is far fewer. */
const MONTH_SIZE = 200;

interface Props {
  month: Dayjs;
  onMonth: (month: Dayjs) => void;
  /** The list's own filters (the subtree, the statuses): the calendar shows what the list would. */
  filters: Pick<CourseListQuery, 'union_id' | 'status'>;
}

/**
 * A month of courses: each course on every day it runs (first to last), a link to its page.
 * On a phone the month is a small grid with a mark on the days that have courses; the day
 * picked lists its courses below, as "+N" does on a wide screen.
 */
export function CoursesCalendar({ month, onMonth, filters }: Props) {
  const { t } = useI18n();
  const full = Grid.useBreakpoint().md !== false;
  const [day, setDay] = useState<Dayjs | undefined>();
  const { data, isPending, isFetching, isError, error, refetch } = useCourses({ ...filters, ...monthRange(month), page: 1, size: MONTH_SIZE });
  const courses = data?.items ?? [];
  const inMonth = courses.filter((c) => c.starts_on <= month.endOf('month').format('YYYY-MM-DD') && c.ends_on >= month.format('YYYY-MM-DD'));
  const monthText = month.format('MM/YYYY');
  const picked = day && day.isSame(month, 'month') ? day : undefined;

  if (isError) return <ErrorState error={error} onRetry={() => void refetch()} />;

  const link = (c: CourseRead) => (
    <Link
      key={c.id}
      to={`/training/courses/${c.id}`}
      className={`calendar-course calendar-course--${c.status}`}
      title={`${c.title} · ${formatDate(c.starts_on)} – ${formatDate(c.ends_on)} · ${courseStatusLabel(t, c.status)}`}
    >
      {c.title}
    </Link>
  );

  const cell = (date: Dayjs) => {
    const here = coursesOn(courses, date);
    if (!here.length) return null;
    if (!full) return <span className="calendar-dot" aria-hidden="true" />;
    const more = here.length - PER_DAY;
    return (
      <div className="calendar-day" data-testid={`calendar-day-${date.format('YYYY-MM-DD')}`}>
        {here.slice(0, more > 0 ? PER_DAY - 1 : PER_DAY).map(link)}
        {more > 0 ? (
          <Button
            type="link"
            size="small"
            className="calendar-more"
            aria-label={t('calendar.moreLabel', { n: more + 1, date: formatDate(date) })}
            // The day's cell takes the click too (onSelect): it picks the day, changing month if need be.
            onClick={() => setDay(date)}
          >
            {t('calendar.more', { n: more + 1 })}
          </Button>
        ) : null}
      </div>
    );
  };

  const listed = picked ? coursesOn(courses, picked) : [];
  return (
    <div className={picked ? 'courses-calendar' : 'courses-calendar courses-calendar--no-day'} data-testid="courses-calendar">
      <div className="calendar-toolbar">
        <Typography.Title level={3} className="calendar-heading" id="calendar-title">
          {t('calendar.title', { month: monthText })}
        </Typography.Title>
        <Space wrap>
          <Button icon={<LeftOutlined />} aria-label={t('calendar.prev')} onClick={() => onMonth(month.subtract(1, 'month'))} />
          <DatePicker
            picker="month"
            format="MM/YYYY"
            allowClear={false}
            aria-label={t('calendar.month')}
            value={month}
            onChange={(v) => v && onMonth(v.startOf('month'))}
          />
          <Button icon={<RightOutlined />} aria-label={t('calendar.next')} onClick={() => onMonth(month.add(1, 'month'))} />
          <Button onClick={() => onMonth(dayjs().startOf('month'))}>{t('calendar.thisMonth')}</Button>
        </Space>
      </div>
      {data && data.total > courses.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('calendar.truncated', { month: monthText, total: formatNumber(data.total), n: formatNumber(courses.length) })}
        />
      ) : null}
      {!isPending && !inMonth.length ? (
        <Alert type="info" showIcon role="status" style={{ marginBottom: 12 }} title={t('calendar.none', { month: monthText })} />
      ) : null}
      <Spin spinning={isFetching}>
        <section aria-labelledby="calendar-title">
          <Calendar
            fullscreen={full}
            value={picked ?? month}
            headerRender={() => null}
            cellRender={(date, info) => (info.type === 'date' ? cell(date) : null)}
            onSelect={(date, { source }) => {
              if (source !== 'date') return;
              if (!date.isSame(month, 'month')) onMonth(date.startOf('month'));
              setDay(date);
            }}
          />
        </section>
      </Spin>
      <div className="calendar-daylist" aria-live="polite" data-testid="calendar-daylist">
        {picked ? (
          <>
            <Typography.Title level={4}>{t('calendar.day', { date: formatDate(picked) })}</Typography.Title>
            {listed.length ? (
              <ul>
                {listed.map((c) => (
                  <li key={c.id}>
                    <Link to={`/training/courses/${c.id}`}>{c.title}</Link>
                    <span className="muted-small">
                      {' '}
                      · {formatDate(c.starts_on)} – {formatDate(c.ends_on)} · {c.organiser_union_name} · {courseStatusLabel(t, c.status)}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <Typography.Paragraph>{t('calendar.dayNone', { date: formatDate(picked) })}</Typography.Paragraph>
            )}
          </>
        ) : (
          <Typography.Paragraph type="secondary">{t('calendar.dayHint')}</Typography.Paragraph>
        )}
      </div>
    </div>
  );
}
