// One of the window's claim lists (Done or My claims) as pages fetched through the bridge: the first
// page on opening, "Load more" by the server's opaque cursor, and the first page again whenever the
// core's listsRevision moves (a claim event on my stream, or my own decision), so an open list stays
// current without a reload. Nothing is cached beyond what the open view holds.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ClaimListPageView, IpcError } from './bridge-types';
import { useApp } from './context';

export type ClaimListScope = 'decided' | 'mine';
export type ClaimListItem = ClaimListPageView['claims'][number];

/** A replay bumps the revision many times in a row: refresh once it has settled. */
const REFRESH_SETTLE_MS = 250;

/**
 * A fresh first page merged onto what is loaded. Both lists are ordered by a time that never changes
 * for an item (submission, my decision), so new items can only come in at the top: when the fresh page
 * reaches what was on top before (or is the whole list), the fresh page, then every loaded item it
 * does not contain, is complete and in order, and the loaded cursor still points just after the last
 * of them. When more arrived than a page holds there would be a hole: start again from the fresh page.
 */
export function mergeFirstPage(
  loaded: ClaimListPageView | null,
  first: ClaimListPageView,
): ClaimListPageView {
  const top = loaded?.claims[0];
  if (!loaded || !top) return first;
  const reachesTop = first.nextCursor === null || first.claims.some((claim) => claim.id === top.id);
  if (!reachesTop) return first;
  const fresh = new Set(first.claims.map((claim) => claim.id));
  return {
    claims: [...first.claims, ...loaded.claims.filter((claim) => !fresh.has(claim.id))],
    nextCursor: loaded.nextCursor,
  } as ClaimListPageView;
}

/** The next page appended; an item already shown (it moved up meanwhile) is not shown twice. */
export function appendPage(loaded: ClaimListPageView, next: ClaimListPageView): ClaimListPageView {
  const shown = new Set(loaded.claims.map((claim) => claim.id));
  return {
    claims: [...loaded.claims, ...next.claims.filter((claim) => !shown.has(claim.id))],
    nextCursor: next.nextCursor,
  } as ClaimListPageView;
}

export interface ClaimList {
  /** Null until the first page arrived. */
  page: ClaimListPageView | null;
  /** Why the last request failed (shown until one succeeds). */
  error: IpcError | null;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

export function useClaimList(scope: ClaimListScope, revision: number): ClaimList {
  const { bridge } = useApp();
  const [page, setPage] = useState<ClaimListPageView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // Only the newest first-page request may land; an older answer could undo a newer one.
  const refreshes = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++refreshes.current;
    const response = await bridge.listClaims({ scope });
    if (ticket !== refreshes.current) return;
    if (response.ok) {
      setPage((loaded) => mergeFirstPage(loaded, response.value));
      setError(null);
    } else {
      setError(response.error);
    }
  }, [bridge, scope]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const seenRevision = useRef(revision);
  useEffect(() => {
    if (revision === seenRevision.current) return;
    seenRevision.current = revision;
    const timer = setTimeout(() => void reload(), REFRESH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [revision, reload]);

  const cursor = page?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (!cursor || loadingMore) return;
    setLoadingMore(true);
    const response = await bridge.listClaims({ scope, cursor });
    setLoadingMore(false);
    if (!response.ok) {
      setError(response.error);
      return;
    }
    setError(null);
    // A refresh keeps the loaded cursor, so the page still continues what is shown.
    setPage((loaded) =>
      loaded && loaded.nextCursor === cursor ? appendPage(loaded, response.value) : loaded,
    );
  }, [bridge, scope, cursor, loadingMore]);

  return {
    page,
    error,
    loadingMore,
    loadMore: () => void loadMore(),
    reload: () => void reload(),
  };
}
