import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from './button';

/**
 * A consequential action asked twice: the button opens a warning in place (focused, so a keyboard or screen reader
 * user lands on it) with the confirming button and Cancel (or Escape). It closes once `onConfirm` succeeds and stays open when it
 * fails (the caller shows the error).
 */
export function ConfirmAction({
  label,
  confirmLabel,
  warning,
  onConfirm,
  variant = 'secondary',
}: {
  label: string;
  confirmLabel: string;
  warning: ReactNode;
  onConfirm: () => Promise<unknown>;
  variant?: 'primary' | 'secondary' | 'danger';
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (open) box.current?.focus();
  }, [open]);
  if (!open) {
    return (
      <Button variant={variant} onClick={() => setOpen(true)}>
        {label}
      </Button>
    );
  }
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      setOpen(false);
    } catch {
      // the caller shows what went wrong; the question stays open to try again or cancel
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className="confirm notice notice-warning"
      role="group"
      aria-label={label}
      tabIndex={-1}
      ref={box}
      onKeyDown={(e) => e.key === 'Escape' && !busy && setOpen(false)}
    >
      <div>{warning}</div>
      <div className="actions">
        <Button variant="danger" busy={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
