// Changes waiting for a decision, live through `review:changed`.
import { LoadableView } from '../components/LoadableView';
import { useReviewStore } from '../stores/review-store';

export function WaitingList() {
  const items = useReviewStore((s) => s.items);
  const open = useReviewStore((s) => s.open);
  return (
    <section className="panel" aria-labelledby="waiting-heading">
      <h3 id="waiting-heading">Waiting for review</h3>
      <LoadableView value={items} what="the changes waiting for review">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">Nothing is waiting for your decision.</p>
          ) : (
            <ul className="waiting">
              {list.map((item) => (
                <li key={item.attemptId}>
                  <span>
                    {item.title}{' '}
                    <span className="muted">
                      · {item.workspace} · score {item.score === null ? 'none' : item.score.toFixed(2)}
                    </span>
                  </span>
                  <button type="button" onClick={() => void open(item.attemptId)} aria-label={`Review ${item.title}`}>
                    Review
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </LoadableView>
    </section>
  );
}
