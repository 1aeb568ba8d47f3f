import { KeyOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { Link } from 'react-router';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useAuth } from '../auth/context';
import { useAccountAction, useIssueCode, useMemberAccount, type AccountAction } from '../selfservice/api';
import type { MemberRead } from './api';

const STATUS_COLOR: Record<string, string> = { active: 'green', reset: 'orange', closed: 'red' };

type IssuedCode = { code: string; expires_at: string };

/**
 * The slip an officer prints and hands to the member: the code and how to use it. Rendered
 * beside the app (a portal on <body>) and shown only while printing it (styles.css).
 */
function ActivationSlip({ member, code }: { member: MemberRead; code: IssuedCode }) {
  const { t } = useI18n();
  return createPortal(
    <div className="activation-slip" data-testid="activation-slip">
      <h1>{t('account.slipTitle')}</h1>
      <p>{member.union_name}</p>
      <table>
        <tbody>
          <tr>
            <th>{t('member.fullName')}</th>
            <td>{member.full_name}</td>
          </tr>
          <tr>
            <th>{t('member.cardNumber')}</th>
            <td>{member.card_number ?? '—'}</td>
          </tr>
        </tbody>
      </table>
      <p className="activation-slip-code">{code.code}</p>
      <ol>
        <li>{t('account.slipStep1', { url: `${window.location.origin}/activate` })}</li>
        <li>{t('account.slipStep2')}</li>
        <li>{t('account.slipStep3')}</li>
      </ol>
      <p>{t('account.codeHint', { date: formatDateTime(code.expires_at) })}</p>
    </div>,
    document.body,
  );
}

function printSlip() {
  document.body.classList.add('printing-slip');
  const done = () => {
    document.body.classList.remove('printing-slip');
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}

function AccountText({ member }: { member: MemberRead }) {
  const { t } = useI18n();
  const a = useMemberAccount(member.id).data;
  if (!a) return null;
  const codeWaiting = a.code_expires_at ? ` ${t('account.codeWaiting', { date: formatDateTime(a.code_expires_at) })}` : '';
  if (!a.has_account) return <Typography.Text>{t('account.none')}{codeWaiting}</Typography.Text>;
  const status = a.status ?? 'active';
  return (
    <Space orientation="vertical" size={2}>
      <Space wrap>
        <Tag color={STATUS_COLOR[status]} data-testid="member-account-status">
          {t(`account.status.${status}` as 'account.status.active')}
        </Tag>
        <Typography.Text>{t('account.active', { username: a.username ?? '', date: formatDateTime(a.activated_at) })}</Typography.Text>
      </Space>
      <Typography.Text type="secondary">
        {a.last_sign_in_at ? t('account.lastSignIn', { date: formatDateTime(a.last_sign_in_at) }) : t('account.neverSignedIn')}
      </Typography.Text>
      {status !== 'active' && a.status_changed_at ? (
        <Typography.Text type="secondary">
          {t(status === 'reset' ? 'account.resetOn' : a.status_reason === 'member_exit' ? 'account.closedOnExit' : 'account.closedOn', {
            date: formatDateTime(a.status_changed_at),
          })}
          {codeWaiting}
        </Typography.Text>
      ) : null}
    </Space>
  );
}

/** The member's own account as their officers see it: its state and last sign-in, a one-time
 * activation code to give (with a printable slip), and reset, close, reopen. */
export function MemberAccountCard({ member }: { member: MemberRead }) {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const account = useMemberAccount(member.id);
  const issue = useIssueCode(member.id);
  const act = useAccountAction(member.id);
  const [code, setCode] = useState<IssuedCode | null>(null);
  // Leaving the page while a slip is being printed must not leave the app hidden.
  useEffect(() => () => document.body.classList.remove('printing-slip'), []);
  const inMembership = member.status === 'active' || member.status === 'suspended';
  const fail = (e: unknown) => {
    const p = toApiError(e).problem;
    message.error(te(p.code, p.detail ?? p.code, p.params));
  };
  const onIssue = async () => {
    try {
      setCode(await issue.mutateAsync());
    } catch (e) {
      fail(e);
    }
  };
  const onAction = async (action: AccountAction) => {
    try {
      await act.mutateAsync(action);
      message.success(t(`account.done.${action}` as 'account.done.reset'));
    } catch (e) {
      fail(e);
    }
  };
  const a = account.data;
  const status = a?.has_account ? (a.status ?? 'active') : null;
  const writer = can('members:write');
  const confirm = (action: AccountAction, danger = false) => (
    <Popconfirm
      key={action}
      title={t(`account.confirm.${action}` as 'account.confirm.reset')}
      okText={t(`account.${action}` as 'account.reset')}
      cancelText={t('common.cancel')}
      onConfirm={() => onAction(action)}
    >
      <Button danger={danger} loading={act.isPending && act.variables === action}>
        {t(`account.${action}` as 'account.reset')}
      </Button>
    </Popconfirm>
  );
  return (
    <Card size="small" title={t('account.title')} style={{ marginBottom: 16 }} data-testid="member-account">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <AccountText member={member} />
        <Space wrap>
          {a && (status === null || status === 'reset') && inMembership && writer ? (
            <Button icon={<KeyOutlined />} onClick={() => void onIssue()} loading={issue.isPending}>
              {t('account.issueCode')}
            </Button>
          ) : null}
          {writer && status === 'active' ? confirm('reset') : null}
          {writer && (status === 'active' || status === 'reset') ? confirm('close', true) : null}
          {writer && status === 'closed' && inMembership ? confirm('reopen') : null}
          {inMembership && member.card_number ? (
            <Link to={`/print/members/${member.id}/card`}>
              <Button icon={<PrinterOutlined />}>{t('account.printCard')}</Button>
            </Link>
          ) : null}
        </Space>
      </Space>
      {code ? (
        <Modal
          open
          title={t('account.codeTitle')}
          onCancel={() => setCode(null)}
          footer={[
            <Button key="print" icon={<PrinterOutlined />} onClick={printSlip}>
              {t('account.printSlip')}
            </Button>,
            <Button key="ok" type="primary" onClick={() => setCode(null)}>
              {t('common.close')}
            </Button>,
          ]}
        >
          <Typography.Title level={2} copyable className="activation-code" data-testid="activation-code">
            {code.code}
          </Typography.Title>
          <Alert type="info" showIcon title={t('account.codeHint', { date: formatDateTime(code.expires_at) })} />
          <ActivationSlip member={member} code={code} />
        </Modal>
      ) : null}
    </Card>
  );
}
