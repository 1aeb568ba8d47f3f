import { EditOutlined, EyeInvisibleOutlined, EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Button, Card, Descriptions, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { toApiError } from '../../api/problem';
import { ErrorState, EmptyState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n/messages';
import { formatDate, formatDateTime } from '../../lib/format';
import { maskNumber } from '../../lib/mask';
import { useConfirm } from '../../lib/useConfirm';
import { useAuth } from '../auth/context';
import { MemberAccountCard } from './MemberAccountCard';
import { MemberPhotoCard } from './MemberPhotoCard';
import { QualificationsTab } from '../training/QualificationsTab';
import { useCadrePosts, useMember, useMemberHistory, useTransferDecision, useTransfers, type CadreRead, type MemberRead } from './api';
import { AddPostModal, EndPostModal } from './CadrePostModals';
import {
  MEMBER_STATUS_COLOR,
  actionsFor,
  educationLabel,
  genderLabel,
  memberEventLabel,
  memberStatusLabel,
  postLabel,
  theoryLabel,
  ACTION_TITLE,
  FINAL_ACTIONS,
  type MemberActionKind,
} from './labels';
import { MemberActionModal } from './MemberActionModal';
import { CommuneName } from '../places/CommuneName';
import { CountryName } from '../places/CountrySelect';

const TABS = ['info', 'history', 'posts', 'qualifications'] as const;
type TabKey = (typeof TABS)[number];

function Info({ member, reveal }: { member: MemberRead; reveal: boolean }) {
  const { t } = useI18n();
  const dash = '—';
  // The API sends officers the real numbers; the screen still hides them until asked (people nearby).
  const pii = (v: string | null, keep = 3) => (v ? <span className="mono" data-testid="pii">{reveal || member.pii_masked ? v : maskNumber(v, keep)}</span> : dash);
  const items: DescriptionsProps['items'] = [
    { key: 'card', label: t('member.cardNumber'), children: member.card_number ?? dash },
    { key: 'status', label: t('member.status'), children: `${memberStatusLabel(t, member.status)} (${t('member.since', { date: formatDate(member.status_since) })})` },
    { key: 'dob', label: t('member.dateOfBirth'), children: formatDate(member.date_of_birth) },
    { key: 'gender', label: t('member.gender'), children: genderLabel(t, member.gender) },
    { key: 'pid', label: t('member.personalId'), children: pii(member.personal_id) },
    ...(member.passport_no ? [{ key: 'passport', label: t('member.passportNo'), children: pii(member.passport_no, 2) }] : []),
    { key: 'nationality', label: t('member.nationality'), children: <CountryName code={member.nationality} /> },
    { key: 'ethnicity', label: t('member.ethnicity'), children: member.ethnicity ?? dash },
    { key: 'phone', label: t('member.phone'), children: pii(member.phone) },
    { key: 'email', label: t('member.email'), children: member.email ?? dash },
    { key: 'commune', label: t('member.communeCode'), children: <CommuneName code={member.commune_code} /> },
    { key: 'union', label: t('member.union'), children: <Link to={`/unions/${member.union_id}`}>{member.union_name ?? member.union_id}</Link> },
    { key: 'admission', label: t('member.admissionDate'), children: formatDate(member.admission_date) },
    {
      key: 'enterprise',
      label: t('member.enterprise'),
      children: member.enterprise_id ? <Link to={`/enterprises/${member.enterprise_id}`}>{member.enterprise_name ?? member.enterprise_id}</Link> : dash,
    },
    { key: 'occupation', label: t('member.occupation'), children: member.occupation ?? dash },
    {
      key: 'education',
      label: t('member.education'),
      // Derived from the qualification records (kept by the server): the tab lists them.
      children: (
        <span>
          {member.education_level ? educationLabel(t, member.education_level) : dash}{' '}
          <Link to={`/members/${member.id}?tab=qualifications`} className="muted-small">
            {t('qualifications.tab')}
          </Link>
        </span>
      ),
    },
    { key: 'qualification', label: t('member.qualification'), children: member.professional_qualification ?? dash },
    { key: 'theory', label: t('member.politicalTheory'), children: member.political_theory ? theoryLabel(t, member.political_theory) : dash },
    { key: 'party', label: t('member.partyMember'), children: member.party_member ? t('common.yes') : t('common.no') },
    {
      key: 'trainings',
      label: t('member.trainings'),
      span: 'filled',
      children: member.trainings.length
        ? member.trainings.map((tr, i) => (
            <div key={i}>
              {String(tr.name ?? '')} ({String(tr.year ?? '')}){tr.organiser ? ` — ${String(tr.organiser)}` : ''}
            </div>
          ))
        : dash,
    },
    { key: 'updated', label: t('union.updatedAt'), children: formatDateTime(member.updated_at) },
  ];
  return <Descriptions bordered column={{ xs: 1, md: 2 }} size="middle" items={items} />;
}

const DETAIL_KEYS: Record<string, MessageKey> = {
  decision_no: 'union.decisionNo',
  card_number: 'member.cardNumber',
  old_card_number: 'memberEventDetail.oldCard',
  new_card_number: 'memberEventDetail.newCard',
  from_status: 'memberEventDetail.fromStatus',
};

function History({ member }: { member: MemberRead }) {
  const { t } = useI18n();
  const { data, isPending, isError, error, refetch } = useMemberHistory(member.id);
  if (isPending) return <LoadingState />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={4}>{t('member.events')}</Typography.Title>
        {data.events.length === 0 ? (
          <EmptyState description={t('member.noEvents')} />
        ) : (
          <Timeline
            items={data.events.map((e) => ({
              key: e.id,
              content: (
                <div className="member-event" data-testid="member-event">
                  <Typography.Text strong>{formatDate(e.effective_date)}</Typography.Text> — {memberEventLabel(t, e.event_type)}
                  {e.union_name ? <Typography.Text type="secondary"> · {e.union_name}</Typography.Text> : null}
                  {e.reason ? <div>{t('memberAction.reason')}: {e.reason}</div> : null}
                  {Object.entries(e.details ?? {})
                    .filter(([k, v]) => DETAIL_KEYS[k] && v)
                    .map(([k, v]) => (
                      <div key={k}>
                        {t(DETAIL_KEYS[k])}: {k === 'from_status' ? memberStatusLabel(t, String(v)) : String(v)}
                      </div>
                    ))}
                  {Array.isArray(e.details?.fields) && e.details.fields.length ? (
                    <div>
                      {t('memberEventDetail.fields')}: {(e.details.fields as string[]).join(', ')}
                    </div>
                  ) : null}
                  <div className="muted-small">{t('member.recordedAt', { at: formatDateTime(e.recorded_at) })}</div>
                </div>
              ),
            }))}
          />
        )}
      </div>
      <div>
        <Typography.Title level={4}>{t('member.periods')}</Typography.Title>
        <Table
          rowKey={(p) => `${p.union_id}:${p.valid_from}`}
          size="small"
          pagination={false}
          dataSource={data.periods}
          scroll={{ x: 560 }}
          locale={{ emptyText: <EmptyState description={t('member.noPeriods')} /> }}
          columns={[
            { title: t('member.union'), key: 'union', render: (_, p) => <Link to={`/unions/${p.union_id}`}>{p.union_name ?? p.union_id}</Link> },
            {
              title: t('member.status'),
              dataIndex: 'status',
              width: 160,
              render: (v: MemberRead['status']) => <Tag color={MEMBER_STATUS_COLOR[v]}>{memberStatusLabel(t, v)}</Tag>,
            },
            { title: t('member.periodFrom'), dataIndex: 'valid_from', width: 120, render: (v: string) => formatDate(v) },
            {
              title: t('member.periodTo'),
              dataIndex: 'valid_to',
              width: 120,
              render: (v: string | null) => (v ? formatDate(v) : <Typography.Text type="secondary">{t('member.current')}</Typography.Text>),
            },
          ]}
        />
      </div>
    </Space>
  );
}

function Posts({ member }: { member: MemberRead }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState<CadreRead | null>(null);
  const { data, isPending, isError, error, refetch } = useCadrePosts(member.id);
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;
  const writable = can('members:write');
  const done = (text: string) => {
    setAdding(false);
    setEnding(null);
    message.success(text);
  };
  return (
    <>
      {writable && (member.status === 'active' || member.status === 'suspended') ? (
        <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }}>
          {t('cadre.add')}
        </Button>
      ) : null}
      <Table
        rowKey="id"
        size="middle"
        loading={isPending}
        pagination={false}
        dataSource={data ?? []}
        scroll={{ x: 720 }}
        locale={{ emptyText: <EmptyState description={t('member.noPosts')} /> }}
        columns={[
          { title: t('cadre.post'), dataIndex: 'post', render: (v: string, p) => <>{postLabel(t, v)}{p.current ? <Tag color="blue" style={{ marginLeft: 8 }}>{t('cadre.current')}</Tag> : null}</> },
          { title: t('member.union'), key: 'union', render: (_, p) => <Link to={`/unions/${p.union_id}`}>{p.union_name}</Link> },
          { title: t('cadre.fullTime'), dataIndex: 'full_time', width: 130, render: (v: boolean) => (v ? t('cadre.fullTimeYes') : t('cadre.fullTimeNo')) },
          { title: t('member.periodFrom'), dataIndex: 'from_date', width: 120, render: (v: string) => formatDate(v) },
          { title: t('member.periodTo'), dataIndex: 'to_date', width: 120, render: (v: string | null) => (v ? formatDate(v) : '—') },
          { title: t('union.decisionNo'), dataIndex: 'decision_no', width: 150, render: (v: string | null) => v ?? '—' },
          ...(writable
            ? [
                {
                  title: '',
                  key: 'actions',
                  width: 110,
                  render: (_: unknown, p: CadreRead) =>
                    p.current ? (
                      <Button size="small" onClick={() => setEnding(p)}>
                        {t('cadre.end')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {adding ? <AddPostModal member={member} onClose={() => setAdding(false)} onDone={done} /> : null}
      {ending ? <EndPostModal key={ending.id} post={ending} onClose={() => setEnding(null)} onDone={done} /> : null}
    </>
  );
}

function PendingTransfer({ member }: { member: MemberRead }) {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const decide = useTransferDecision();
  const { data } = useTransfers({ member_id: member.id, status: ['pending'], direction: 'all', size: 1 });
  const request = data?.items[0];
  if (!request) return null;
  const cancel = async () => {
    const ok = await confirm({
      title: t('transfer.cancelTitle'),
      content: t('transfer.cancelConfirm', { name: member.full_name, union: request.to_union_name }),
      okText: t('transfer.cancel'),
      danger: true,
    });
    if (!ok) return;
    try {
      await decide.mutateAsync({ id: request.id, decision: 'cancel', body: {} });
      message.success(t('transfer.cancelled'));
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail || ''));
    }
  };
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="pending-transfer"
      title={t('transfer.pendingAlert', { union: request.to_union_name, date: formatDate(request.effective_date) })}
      action={
        can('members:write') ? (
          <Button size="small" onClick={() => void cancel()} loading={decide.isPending}>
            {t('transfer.cancel')}
          </Button>
        ) : undefined
      }
    />
  );
}

export default function MemberDetailPage() {
  const { memberId } = useParams();
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tabParam = params.get('tab') as TabKey | null;
  const tab: TabKey = tabParam && TABS.includes(tabParam) ? tabParam : 'info';
  const [reveal, setReveal] = useState(false);
  const [action, setAction] = useState<MemberActionKind | null>(null);
  const { data: masked, isPending, isError, error, refetch } = useMember(memberId);
  const revealed = useMember(memberId, { reveal: true, enabled: reveal });

  if (isPending) return <LoadingState rows={8} />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;

  const member = reveal && revealed.data ? revealed.data : masked;
  const actions = can('members:write') ? actionsFor(member.status) : [];
  const hasPii = can('members:pii') && Boolean(masked.personal_id || masked.phone || masked.passport_no);

  return (
    <section aria-labelledby="member-title">
      <Breadcrumb style={{ marginBottom: 8 }} items={[{ title: <Link to="/members">{t('nav.members')}</Link> }, { title: member.full_name }]} />
      <div className="page-header">
        <Space wrap align="center">
          <Typography.Title level={2} id="member-title">
            {member.full_name}
          </Typography.Title>
          <Tag color={MEMBER_STATUS_COLOR[member.status]}>{memberStatusLabel(t, member.status)}</Tag>
          {member.is_cadre ? <Tag color="blue">{t('member.cadreYes')}</Tag> : null}
        </Space>
        <Space wrap>
          {hasPii ? (
            <Button
              icon={reveal ? <EyeInvisibleOutlined /> : <EyeOutlined />}
              aria-pressed={reveal}
              loading={reveal && revealed.isFetching}
              onClick={() => setReveal((v) => !v)}
            >
              {reveal ? t('members.hidePii') : t('members.revealPii')}
            </Button>
          ) : null}
          {can('members:write') ? (
            <Button icon={<EditOutlined />} onClick={() => navigate(`/members/${member.id}/edit`)}>
              {t('common.edit')}
            </Button>
          ) : null}
          {actions.map((a) => (
            <Button key={a} onClick={() => setAction(a)} danger={FINAL_ACTIONS.includes(a)}>
              {t(ACTION_TITLE[a])}
            </Button>
          ))}
        </Space>
      </div>
      <PendingTransfer member={member} />
      <MemberPhotoCard member={member} />
      <MemberAccountCard member={member} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => {
            const next = new URLSearchParams(params);
            if (key === 'info') next.delete('tab');
            else next.set('tab', key);
            setParams(next, { replace: true });
          }}
          items={[
            { key: 'info', label: t('member.tabInfo'), children: <Info member={member} reveal={reveal} /> },
            { key: 'history', label: t('member.tabHistory'), children: tab === 'history' ? <History member={member} /> : null },
            { key: 'posts', label: t('member.tabPosts'), children: tab === 'posts' ? <Posts member={member} /> : null },
            {
              key: 'qualifications',
              label: t('qualifications.tab'),
              children: tab === 'qualifications' ? <QualificationsTab memberId={member.id} canWrite={can('members:write')} /> : null,
            },
          ]}
        />
      </Card>
      {action ? (
        <MemberActionModal
          key={action}
          member={member}
          action={action}
          onClose={() => setAction(null)}
          onDone={(text) => {
            setAction(null);
            message.success(text);
          }}
        />
      ) : null}
    </section>
  );
}
