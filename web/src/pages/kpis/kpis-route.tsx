import { lazy, Suspense } from 'react';
import type { PageProps } from '../../shell/pages';
import { Loading } from '../../ui/loading';

/** chart.js comes with this page only: the dashboard's first page stays small (test/e2e/bundle-size.test.ts). */
const KpisPage = lazy(() => import('./kpis-page').then((m) => ({ default: m.KpisPage })));

export function KpisRoute(props: PageProps) {
  return (
    <Suspense fallback={<Loading />}>
      <KpisPage {...props} />
    </Suspense>
  );
}
