import '../../components/pickers.css';
import { SelectDefaults } from '../../components/SelectNote';
import { Button, Layout, Menu, Space, Typography } from 'antd';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n/context';
import { useAuth } from '../auth/context';

/** The web app of a member signed in to their own account: their profile, card, transfer. */
export default function MemberArea() {
  const { t } = useI18n();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  if (me && me.kind !== 'member') return <Navigate to="/" replace />;
  const items = [
    { key: '/me', label: t('me.navProfile') },
    { key: '/me/card', label: t('me.navCard') },
    { key: '/me/transfer', label: t('me.navTransfer') },
  ];
  return (
    <SelectDefaults>
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header className="member-header">
        <Typography.Text strong className="member-brand">
          {t('app.name')} · {t('me.title')}
        </Typography.Text>
        <Menu
          mode="horizontal"
          selectedKeys={[location.pathname]}
          items={items}
          onClick={(e) => navigate(e.key)}
          style={{ flex: 1, minWidth: 0 }}
          aria-label={t('me.title')}
        />
        <Space>
          <span className="member-name">{me?.full_name}</span>
          <LanguageSwitch />
          <Button onClick={() => void signOut()}>{t('me.signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout.Content className="member-content">
        <Outlet />
      </Layout.Content>
    </Layout>
    </SelectDefaults>
  );
}
