import { PrinterOutlined } from '@ant-design/icons';
import { Button, Checkbox, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { formatDate, formatNumber } from '../../lib/format';
import { useAttendance, useCourse, useRoster } from './api';

// Beyond this many sessions the sheet is printed across the page (A4 landscape).
const PORTRAIT_SESSIONS = 5;

/**
 * A course's roster and attendance sheet laid out to print on A4: the title block, one row per
 * accepted participant with a column per session (blank to fill in by hand, or filled with the
 * attendance taken so far) and a signature column, and the signature block at the foot.
 */
export default function RosterPrintPage() {
  const { courseId = '' } = useParams();
  const { t } = useI18n();
  const [filled, setFilled] = useState(false);
  const course = useCourse(courseId);
  const roster = useRoster(courseId);
  const attendance = useAttendance(courseId);
  const failed = course.error ?? roster.error ?? attendance.error;
  if (failed) return <ErrorState error={failed} onRetry={() => void Promise.all([course.refetch(), roster.refetch(), attendance.refetch()])} />;
  if (!course.data || !roster.data || !attendance.data) return <LoadingState rows={6} />;
  const c = course.data;
  const sessions = attendance.data.sessions;
  const marks = new Map(attendance.data.rows.map((r) => [r.participant_id, r]));
  const people = roster.data.filter((p) => p.status === 'accepted');
  const mark = (participantId: string, day: string) => {
    if (!filled) return '';
    const row = marks.get(participantId);
    if (row?.present_on.includes(day)) return t('rosterPrint.present');
    if (row?.absent_on.includes(day)) return t('rosterPrint.absent');
    return '';
  };
  const where = c.online ? t('course.online') : c.place;
  return (
    <main className={`print-page roster-sheet${sessions.length > PORTRAIT_SESSIONS ? ' roster-sheet-wide' : ''}`}>
      <div className="page-header no-print">
        <Typography.Title level={2}>{t('rosterPrint.title')}</Typography.Title>
        <Space wrap>
          <Link to={`/training/courses/${c.id}`}>{t('rosterPrint.back')}</Link>
          <Checkbox checked={filled} onChange={(e) => setFilled(e.target.checked)}>
            {t('rosterPrint.filled')}
          </Checkbox>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('rosterPrint.print')}
          </Button>
        </Space>
      </div>
      <div className="roster-sheet-head">
        <div>
          <div className="roster-sheet-org">{c.organiser_union_name.toLocaleUpperCase('vi')}</div>
        </div>
        <div>
          <div className="roster-sheet-org">{t('rosterPrint.nation')}</div>
          <div className="roster-sheet-motto">{t('rosterPrint.motto')}</div>
        </div>
      </div>
      <h1 className="roster-sheet-title">{t('rosterPrint.heading')}</h1>
      <p className="roster-sheet-course" data-testid="roster-sheet-course">
        {c.title}
      </p>
      <p className="roster-sheet-facts">
        {t('course.dates')}: {formatDate(c.starts_on)} – {formatDate(c.ends_on)}
        {where ? ` · ${t('course.place')}: ${where}` : ''}
        {c.provider ? ` · ${t('course.provider')}: ${c.provider}` : ''}
      </p>
      <table className="roster-sheet-table" data-testid="roster-sheet">
        <thead>
          <tr>
            <th scope="col">{t('rosterPrint.no')}</th>
            <th scope="col">{t('rosterPrint.name')}</th>
            <th scope="col">{t('rosterPrint.card')}</th>
            <th scope="col">{t('course.union')}</th>
            {sessions.map((day) => (
              <th scope="col" key={day} className="roster-sheet-mark">
                {t('rosterPrint.session', { date: formatDate(day) })}
              </th>
            ))}
            <th scope="col" className="roster-sheet-sign">
              {t('rosterPrint.signature')}
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((p, i) => (
            <tr key={p.id}>
              <td className="roster-sheet-number">{i + 1}</td>
              <td>{p.member_name}</td>
              <td>{p.member_card_number ?? ''}</td>
              <td>{p.union_name}</td>
              {sessions.map((day) => (
                <td key={day} className="roster-sheet-mark">
                  {mark(p.id, day)}
                </td>
              ))}
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p>{t('rosterPrint.total', { n: formatNumber(people.length) })}</p>
      <div className="roster-sheet-signatures">
        <div>
          <div className="roster-sheet-role">{t('rosterPrint.preparer')}</div>
          <div className="roster-sheet-hint">{t('rosterPrint.signHint')}</div>
        </div>
        <div>
          <div className="roster-sheet-hint">{t('rosterPrint.dateLine')}</div>
          <div className="roster-sheet-role">{t('rosterPrint.head')}</div>
          <div className="roster-sheet-hint">{t('rosterPrint.signHint')}</div>
        </div>
      </div>
    </main>
  );
}
