const tones: Record<string, 'green' | 'amber' | 'red' | 'blue' | 'grey'> = {
  attributed: 'green',
  unattributed: 'amber',
  pending: 'grey',
  payable: 'blue',
  invoiced: 'blue',
  paid: 'green',
  reversed: 'red',
  pending_review: 'amber',
  declined: 'red',
  pending_approval: 'amber',
  approved: 'blue',
  processing: 'blue',
  payment_failed: 'red',
  void: 'grey',
  ready: 'green',
  not_ready: 'amber',
  enabled: 'green',
  disabled: 'amber',
  deactivated: 'red',
  succeeded: 'green',
  failed: 'red',
};

const labels: Record<string, string> = {
  pending_review: 'In review',
  pending_approval: 'Pending approval',
  payment_failed: 'Payment failed',
  not_ready: 'Not ready',
};

export const statusLabel = (status: string) => labels[status] ?? status.charAt(0).toUpperCase() + status.slice(1).replaceAll('_', ' ');

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span className={`badge badge-${tones[status] ?? 'grey'}`}>{label ?? statusLabel(status)}</span>;
}
