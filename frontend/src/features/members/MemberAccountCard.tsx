import { KeyOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useAuth } from '../auth/context';
import { useIssueCode, useMemberAccount } from '../selfservice/api';
import type { MemberRead } from './api';

/** The member's own account as their officers see it, with a one-time activation code to give. */
export function MemberAccountCard({ member }: { member: MemberRead }) {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const account = useMemberAccount(member.id);
  const issue = useIssueCode(member.id);
  const [code, setCode] = useState<{ code: string; expires_at: string } | null>(null);
  const inMembership = member.status === 'active' || member.status === 'suspended';
  const onIssue = async () => {
    try {
      setCode(await issue.mutateAsync());
    } catch (e) {
      const p = toApiError(e).problem;
      message.error(te(p.code, p.detail ?? p.code, p.params));
    }
  };
  const a = account.data;
  return (
    <Card size="small" title={t('account.title')} style={{ marginBottom: 16 }} data-testid="member-account">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Text>
          {a?.has_account
            ? t('account.active', { username: a.username ?? '', date: formatDateTime(a.activated_at) })
            : t('account.none')}
          {a && !a.has_account && a.code_expires_at ? ` ${t('account.codeWaiting', { date: formatDateTime(a.code_expires_at) })}` : ''}
        </Typography.Text>
        <Space>
          {a && !a.has_account && inMembership && can('members:write') ? (
            <Button icon={<KeyOutlined />} onClick={() => void onIssue()} loading={issue.isPending}>
              {t('account.issueCode')}
            </Button>
          ) : null}
          {inMembership && member.card_number ? (
            <Link to={`/print/members/${member.id}/card`}>
              <Button icon={<PrinterOutlined />}>{t('account.printCard')}</Button>
            </Link>
          ) : null}
        </Space>
      </Space>
      {code ? (
        <Modal open title={t('account.codeTitle')} onCancel={() => setCode(null)} onOk={() => setCode(null)} cancelButtonProps={{ style: { display: 'none' } }}>
          <Typography.Title level={2} copyable className="activation-code" data-testid="activation-code">
            {code.code}
          </Typography.Title>
          <Alert type="info" showIcon title={t('account.codeHint', { date: formatDateTime(code.expires_at) })} />
        </Modal>
      ) : null}
    </Card>
  );
}
