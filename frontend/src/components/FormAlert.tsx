import { Alert } from 'antd';

/** The errors of a failed submit that belong to no single field. */
export function FormAlert({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      style={{ marginBottom: 16 }}
      title={messages.length === 1 ? messages[0] : undefined}
      description={
        messages.length > 1 ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
