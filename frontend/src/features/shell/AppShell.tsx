import './app.css';
import '../../components/pickers.css';
import { SelectDefaults } from '../../components/SelectNote';
import {
  AimOutlined,
  ApiOutlined,
  ApartmentOutlined,
  AuditOutlined,
  TrophyOutlined,
  BarChartOutlined,
  DashboardOutlined,
  FileTextOutlined,
  IdcardOutlined,
  LogoutOutlined,
  MenuOutlined,
  ReadOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SwapOutlined,
  FormOutlined,
  SyncOutlined,
  TeamOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Badge, Button, Drawer, Grid, Layout, Menu, Space, Tooltip, Typography } from 'antd';
import { Suspense, useState, type ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { TopProgress } from '../../components/TopProgress';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { useI18n } from '../../i18n/context';
import { useAuth, type Permission } from '../auth/context';
import { useTodo } from '../evaluations/api';
import { useTransfersWaiting } from '../todo/sources';
import { roleLabel } from '../unions/labels';

const { Header, Sider, Content } = Layout;

const SECTIONS = ['/unions', '/members', '/transfers', '/enterprises', '/evaluations', '/training/courses', '/training/due', '/training/compliance', '/training/spending', '/imports', '/users', '/clients', '/audit'];

function selectedKey(pathname: string): string {
  return SECTIONS.find((s) => pathname === s || pathname.startsWith(`${s}/`)) ?? '/';
}

export default function AppShell() {
  const { t } = useI18n();
  const { me, can, signOut } = useAuth();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const isCollapsed = collapsed ?? !screens.lg;
  // Below 768 px (a phone) the menu is a drawer opened from the header, with its labels, not
  // an 80 px rail of unlabelled icons beside a squeezed screen.
  const phone = screens.md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [drawerPath, setDrawerPath] = useState(location.pathname);
  if (drawerPath !== location.pathname) {
    setDrawerPath(location.pathname);
    setDrawerOpen(false);
  }

  const todo = useTodo(can('evaluations:read'));
  // What waits for the user in open rounds: submissions to appraise for a superior union's
  // officers (whose "not submitted" counts every unit under them), else the own unit's sheet.
  const waiting = can('evaluations:appraise') ? (todo.data?.to_appraise ?? 0) : (todo.data?.to_submit ?? 0);
  // Incoming transfer requests waiting for the user's decision.
  const transfers = useTransfersWaiting().data?.incoming ?? 0;
  const entries: { key: string; icon: ReactNode; label: string; permission?: Permission; badge?: number }[] = [
    { key: '/', icon: <DashboardOutlined />, label: t('nav.overview') },
    { key: '/unions', icon: <ApartmentOutlined />, label: t('nav.unions') },
    { key: '/programmes', icon: <AimOutlined />, label: t('nav.programmes') },
    { key: '/members', icon: <IdcardOutlined />, label: t('nav.members'), permission: 'members:read' },
    { key: '/transfers', icon: <SwapOutlined />, label: t('nav.transfers'), permission: 'members:read', badge: transfers },
    { key: '/member-requests', icon: <FormOutlined />, label: t('nav.changeRequests'), permission: 'members:read' },
    { key: '/enterprises', icon: <ShopOutlined />, label: t('nav.enterprises'), permission: 'enterprises:read' },
    { key: '/evaluations', icon: <TrophyOutlined />, label: t('nav.evaluations'), permission: 'evaluations:read', badge: waiting },
    { key: '/training/courses', icon: <ReadOutlined />, label: t('nav.training'), permission: 'training:read' },
    { key: '/training/due', icon: <ScheduleOutlined />, label: t('nav.trainingDue'), permission: 'training:read' },
    { key: '/training/compliance', icon: <BarChartOutlined />, label: t('nav.compliance'), permission: 'training:read' },
    { key: '/training/spending', icon: <WalletOutlined />, label: t('nav.spending'), permission: 'training:read' },
    { key: '/reports', icon: <FileTextOutlined />, label: t('nav.reports'), permission: 'reports:read' },
    { key: '/imports', icon: <SyncOutlined />, label: t('nav.imports'), permission: 'members:write' },
    { key: '/users', icon: <TeamOutlined />, label: t('nav.users'), permission: 'users:manage' },
    { key: '/clients', icon: <ApiOutlined />, label: t('nav.clients'), permission: 'clients:manage' },
    { key: '/audit', icon: <AuditOutlined />, label: t('nav.audit'), permission: 'audit:read' },
  ];
  const items = entries
    .filter((e) => !e.permission || can(e.permission))
    .map((e) => ({
      key: e.key,
      icon: e.icon,
      // The link keeps its name ("Chuyển sinh hoạt"); the count is its description.
      label: (
        <Link to={e.key} title={e.badge ? t('todo.badge', { n: e.badge }) : undefined}>
          {e.label}
          {e.badge ? (
            <Badge
              count={e.badge}
              overflowCount={999}
              size="small"
              style={{ marginLeft: 8 }}
              aria-hidden="true"
              data-testid={e.key === '/transfers' ? 'transfers-badge' : 'evaluations-badge'}
            />
          ) : null}
        </Link>
      ),
    }));

  const primary = me?.roles[0];
  const scope = me?.roles.map((r) => `${roleLabel(t, r.role)} · ${r.union_name}`).join('; ');

  return (
    <SelectDefaults>
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      {phone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          size={280}
          title={t('app.name')}
          className="nav-drawer"
          styles={{ body: { padding: 0 } }}
        >
          <nav aria-label={t('shell.navigation')}>
            <Menu mode="inline" selectedKeys={[selectedKey(location.pathname)]} items={items} />
          </nav>
        </Drawer>
      ) : (
      <Sider
        collapsible
        collapsed={isCollapsed}
        onCollapse={(value) => setCollapsed(value)}
        width={232}
        theme="dark"
        aria-label={t('shell.navigation')}
      >
        <div className="brand">{isCollapsed ? 'UH' : t('app.name')}</div>
        <nav>
          <Menu theme="dark" mode="inline" selectedKeys={[selectedKey(location.pathname)]} items={items} />
        </nav>
      </Sider>
      )}
      <Layout>
        <Header className="app-header">
          {phone ? (
            <Button
              type="text"
              className="nav-toggle"
              icon={<MenuOutlined />}
              aria-label={t('shell.openMenu')}
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            />
          ) : null}
          <div className="app-user" data-testid="current-user">
            <Typography.Text strong>{me?.full_name}</Typography.Text>
            {primary ? (
              <Tooltip title={scope}>
                <Typography.Text type="secondary" ellipsis className="app-scope">
                  {roleLabel(t, primary.role)} · {primary.union_name}
                  {me && me.roles.length > 1 ? ` (+${me.roles.length - 1})` : ''}
                </Typography.Text>
              </Tooltip>
            ) : null}
          </div>
          <Space size="middle">
            <LanguageSwitch />
            <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
              {screens.md ? t('shell.signOut') : null}
            </Button>
          </Space>
        </Header>
        <Content id="main" tabIndex={-1} className="app-content">
          <Suspense fallback={<TopProgress />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
    </SelectDefaults>
  );
}
