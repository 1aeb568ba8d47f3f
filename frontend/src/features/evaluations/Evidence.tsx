import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip } from 'antd';
import { useRef } from 'react';
import { toApiError } from '../../api/problem';
import { useI18n } from '../../i18n/context';
import { downloadFile } from '../../lib/download';
import type { EvidenceRead, useEvidenceChange } from './api';

// The server decides (by the file's bytes); these only spare a pointless upload.
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx';
const MAX_MB = 10;
const MAX_PER_INDICATOR = 5;

type Change = ReturnType<typeof useEvidenceChange>;

/** One indicator's evidence files: links that download them, and while the unit edits its
 * sheet, a button to attach another and one to delete each. */
export function EvidenceCell({ code, files, editable, change }: { code: string; files: EvidenceRead[]; editable: boolean; change: Change }) {
  const { t, te } = useI18n();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const fail = (e: unknown) => {
    const p = toApiError(e).problem;
    const detail = p.errors?.length ? p.errors.map((x) => te(x.code, x.message ?? '', x.params)).join(' ') : te(p.code, p.detail || '', p.params);
    message.error(detail);
  };
  const upload = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_MB * 1024 * 1024) {
      message.error(te('evidence_too_large', '', { max_mb: MAX_MB }));
      return;
    }
    try {
      await change.upload.mutateAsync({ indicator: code, file });
      message.success(t('evaluation.evidenceAdded'));
    } catch (e) {
      fail(e);
    }
  };
  const remove = async (f: EvidenceRead) => {
    try {
      await change.remove.mutateAsync(f.id);
      message.success(t('evaluation.evidenceDeleted'));
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div data-testid={`evidence-${code}`}>
      {files.map((f) => (
        <Space key={f.id} size={0} style={{ display: 'flex' }}>
          <Button
            type="link"
            size="small"
            icon={<PaperClipOutlined />}
            style={{ paddingInline: 0, whiteSpace: 'normal', textAlign: 'left', height: 'auto' }}
            onClick={() => void downloadFile(`/api/v1/evaluations/${f.evaluation_id}/evidence/${f.id}`, {}, f.file_name).catch(fail)}
          >
            {f.file_name}
          </Button>
          {editable ? (
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={`${t('evaluation.evidenceDelete')} ${f.file_name}`}
              loading={change.remove.isPending && change.remove.variables === f.id}
              onClick={() => void remove(f)}
            />
          ) : null}
        </Space>
      ))}
      {editable && files.length < MAX_PER_INDICATOR ? (
        <>
          <input
            ref={input}
            type="file"
            accept={ACCEPT}
            style={{ display: 'none' }}
            aria-label={`${t('evaluation.evidenceUpload')} ${code}`}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              void upload(file);
            }}
          />
          <Tooltip title={t('evaluation.evidenceHint')}>
            <Button
              size="small"
              icon={<UploadOutlined />}
              loading={change.upload.isPending && change.upload.variables?.indicator === code}
              onClick={() => input.current?.click()}
            >
              {t('evaluation.evidenceAdd')}
            </Button>
          </Tooltip>
        </>
      ) : null}
    </div>
  );
}
