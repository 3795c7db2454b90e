import type { ComponentChildren } from 'preact';
import { BASE, navigate } from '../router';

/** An in-console link: a real href (open in a new tab works), navigated without a reload. */
export function Link({ to, children }: { to: string; children: ComponentChildren }) {
  return (
    <a
      href={BASE + to}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
