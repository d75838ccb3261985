import { useI18n } from '../i18n/i18n';

/** "Load more" under a cursor-paged list, while the API has a next page. */
export function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage(): Promise<unknown> } }) {
  const { t } = useI18n();
  if (!query.hasNextPage) return null;
  return (
    <p className="more">
      <button type="button" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
        {query.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
      </button>
    </p>
  );
}
