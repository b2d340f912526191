import { routes } from '../routes';
import type { RouteId } from '../routes';
import { useReviewStore } from '../stores/review-store';

/** The views, as links; the current one is marked for assistive technology too. */
export function Nav({ current }: { current: RouteId }) {
  const waiting = useReviewStore((s) => (s.items.status === 'ready' ? s.items.data.length : 0));
  return (
    <nav aria-label="Views" className="nav">
      <ul>
        {routes.map((route) => (
          <li key={route.id}>
            <a href={`#/${route.id}`} aria-current={current === route.id ? 'page' : undefined}>
              {route.label}
              {route.id === 'report' && waiting > 0 ? <span className="count"> ({waiting} waiting)</span> : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
