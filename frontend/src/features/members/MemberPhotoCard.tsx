import { DeleteOutlined, UploadOutlined, UserOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Typography, Upload } from 'antd';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { formatDateTime } from '../../lib/format';
import { useAuth } from '../auth/context';
import { useAuthorizedImage } from '../selfservice/api';
import { useMemberPhoto, useRemoveMemberPhoto, useSetMemberPhoto, type MemberRead } from './api';

const MAX_BYTES = 5 * 1024 * 1024;

/** The member's card photo: shown to whoever sees the member, set and removed by their officers. */
export function MemberPhotoCard({ member }: { member: MemberRead }) {
  const { t, te } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const photo = useMemberPhoto(member.id);
  const set = useSetMemberPhoto(member.id);
  const remove = useRemoveMemberPhoto(member.id);
  const src = useAuthorizedImage(photo.data?.has_photo ? (photo.data.url ?? null) : null);
  const writer = can('members:write');
  const fail = (e: unknown) => {
    const p = toApiError(e).problem;
    const field = p.errors?.[0];
    message.error(field ? te(field.code, field.message, field.params) : te(p.code, p.detail ?? p.code, p.params));
  };
  const upload = async (file: File) => {
    if (file.size > MAX_BYTES) {
      message.error(te('photo_too_large', '', { max_mb: 5 }));
      return;
    }
    try {
      await set.mutateAsync(file);
      message.success(t('photo.saved'));
    } catch (e) {
      fail(e);
    }
  };
  const has = Boolean(photo.data?.has_photo);
  return (
    <Card size="small" title={t('photo.title')} style={{ marginBottom: 16 }} data-testid="member-photo">
      <Space align="start" wrap>
        {has && src ? (
          <img className="member-photo" src={src} alt={t('photo.alt', { name: member.full_name })} data-testid="member-photo-img" />
        ) : (
          <div className="member-photo member-photo-empty" aria-hidden="true">
            <UserOutlined />
          </div>
        )}
        <Space orientation="vertical" size={4}>
          <Typography.Text type="secondary">
            {has && photo.data?.uploaded_at ? t('photo.uploadedAt', { date: formatDateTime(photo.data.uploaded_at) }) : t('photo.none')}
          </Typography.Text>
          {writer ? (
            <Space wrap>
              <Upload
                accept="image/jpeg,image/png"
                showUploadList={false}
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />} loading={set.isPending}>
                  {has ? t('photo.replace') : t('photo.upload')}
                </Button>
              </Upload>
              {has ? (
                <Popconfirm
                  title={t('photo.removeConfirm')}
                  okText={t('photo.remove')}
                  cancelText={t('common.cancel')}
                  onConfirm={() =>
                    remove.mutateAsync().then(
                      () => message.success(t('photo.removed')),
                      (e: unknown) => fail(e),
                    )
                  }
                >
                  <Button icon={<DeleteOutlined />} danger loading={remove.isPending}>
                    {t('photo.remove')}
                  </Button>
                </Popconfirm>
              ) : null}
            </Space>
          ) : null}
          {writer ? <Typography.Text type="secondary">{t('photo.hint')}</Typography.Text> : null}
        </Space>
      </Space>
    </Card>
  );
}
