import { PageHeader } from './layout';
import { Empty } from './states';

/** An address inside the console that names no page. */
export function NotFound() {
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <Empty title="There is no page at this address">Use the menu to find what you are looking for.</Empty>
    </div>
  );
}
