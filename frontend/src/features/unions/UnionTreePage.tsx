import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Space, Tag, Tree, Typography, type TreeDataNode } from 'antd';
import type { Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorState, EmptyState, LoadingState } from '../../components/states';
import { useI18n } from '../../i18n/context';
import { DATE_FORMAT, dayjs, formatDate, formatNumber, fromApiDate, toApiDate } from '../../lib/format';
import { useAuth } from '../auth/context';
import { fetchTreeLevel, unionKeys, type TreeNode } from './api';
import { levelLabel, statusLabel, STATUS_COLOR } from './labels';
import { UnionSearchBox } from './UnionSearchBox';
import { FilterField } from '../../components/FilterField';

interface Node extends TreeDataNode {
  key: string;
  union: TreeNode;
  children?: Node[];
}

function toNode(union: TreeNode): Node {
  return {
    key: union.id,
    union,
    isLeaf: union.child_count === 0,
    children: union.children?.length ? union.children.map(toNode) : undefined,
  };
}

function replaceChildren(nodes: Node[], key: string, children: Node[]): Node[] {
  return nodes.map((n) =>
    n.key === key
      ? { ...n, children }
      : n.children
        ? { ...n, children: replaceChildren(n.children, key, children) }
        : n,
  );
}

function UnionTree({ roots, asOf, onError }: { roots: TreeNode[]; asOf: string | undefined; onError: (e: unknown) => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [nodes, setNodes] = useState<Node[]>(() => roots.map(toNode));
  // The caller's own union(s) open on arrival: their children came with them.
  const [expanded, setExpanded] = useState<string[]>(() => roots.map((r) => r.id));

  const loadData = useCallback(
    async (node: Node) => {
      if (node.children || node.isLeaf) return;
      try {
        const [self] = await fetchTreeLevel(node.key, asOf);
        const children = (self?.children ?? []).map(toNode);
        setNodes((current) => replaceChildren(current, node.key, children));
      } catch (e) {
        onError(e);
      }
    },
    [asOf, onError],
  );

  const title = (node: Node) => {
    const u = node.union;
    return (
      <span data-testid="tree-node" data-union-id={u.id}>
        <span>{u.name}</span>
        <span className="tree-node-meta">
          {levelLabel(t, u.level)}
          {u.child_count ? ` · ${t('unions.childCount', { n: formatNumber(u.child_count) })}` : ''}
        </span>
        {u.status !== 'active' ? (
          <Tag color={STATUS_COLOR[u.status]} style={{ marginLeft: 8 }}>
            {statusLabel(t, u.status)}
          </Tag>
        ) : null}
      </span>
    );
  };

  return (
    <Tree<Node>
      className="union-tree"
      treeData={nodes}
      loadData={loadData}
      expandedKeys={expanded}
      onExpand={(keys) => setExpanded(keys as string[])}
      titleRender={title}
      onSelect={(_, info) => navigate(`/unions/${info.node.key}${asOf ? `?as_of=${asOf}` : ''}`)}
      showLine
      blockNode
      aria-label={t('unions.treeTitle')}
    />
  );
}

export default function UnionTreePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('as_of') ?? undefined;
  const [branchError, setBranchError] = useState<unknown>(null);
  const roots = useQuery({
    queryKey: unionKeys.tree(asOf, undefined),
    queryFn: () => fetchTreeLevel(undefined, asOf),
    staleTime: 0,
  });
  const error = roots.error ?? branchError;
  const retry = () => {
    setBranchError(null);
    void roots.refetch();
  };

  const onDate = (value: Dayjs | null) => {
    const next = new URLSearchParams(params);
    const day = toApiDate(value);
    if (day && day !== dayjs().format('YYYY-MM-DD')) next.set('as_of', day);
    else next.delete('as_of');
    setBranchError(null);
    setParams(next, { replace: true });
  };

  return (
    <section aria-labelledby="tree-title">
      <div className="page-header">
        <Typography.Title level={2} id="tree-title">
          {t('unions.treeTitle')}
        </Typography.Title>
        <Space wrap>
          {can('unions:write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/unions/new')}>
              {t('unions.found')}
            </Button>
          ) : null}
        </Space>
      </div>
      <Card>
        <Space wrap style={{ marginBottom: 16 }} size="large">
          <label>
            <span style={{ marginRight: 8 }}>{t('unions.asOfLabel')}</span>
            <DatePicker
              value={fromApiDate(asOf) ?? null}
              onChange={onDate}
              format={DATE_FORMAT}
              placeholder={t('unions.today')}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              aria-label={t('unions.asOfLabel')}
              data-testid="as-of-picker"
            />
          </label>
          <FilterField label={t('unions.findUnion')}>
            <UnionSearchBox
              asOf={asOf}
              style={{ width: 420, maxWidth: '80vw' }}
              onPick={(hit) => navigate(`/unions/${hit.id}${asOf ? `?as_of=${asOf}` : ''}`)}
            />
          </FilterField>
          <Button icon={<ReloadOutlined />} onClick={retry} aria-label={t('common.reload')} />
        </Space>
        {asOf ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('unions.asOfNotice', { date: formatDate(asOf) })}
          />
        ) : null}
        {error ? (
          <ErrorState error={error} onRetry={retry} />
        ) : !roots.data ? (
          <LoadingState rows={8} />
        ) : roots.data.length === 0 ? (
          <EmptyState description={asOf ? t('unions.noneOnDate', { date: formatDate(asOf) }) : t('unions.none')} />
        ) : (
          // A new date or a refetch starts a fresh tree (its lazily loaded branches belong to the old one).
          <UnionTree key={`${asOf ?? 'today'}:${roots.dataUpdatedAt}`} roots={roots.data} asOf={asOf} onError={setBranchError} />
        )}
      </Card>
    </section>
  );
}
