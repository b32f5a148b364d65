import { useState } from 'react';
import { Button } from './button';

/** Copies `text`; says so to screen readers too. */
export function CopyButton({ text, label, variant = 'secondary' }: { text: string; label: string; variant?: 'primary' | 'secondary' }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
    setTimeout(() => setCopied(null), 2500);
  };
  return (
    <span className="copy">
      <Button variant={variant} onClick={() => void copy()}>
        {label}
      </Button>
      <span className="copy-status" role="status" aria-live="polite">
        {copied === 'yes' ? 'Copied' : copied === 'no' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  );
}
