// Windowing for the queue list: only the rows in (and just around) the scrolled viewport are in the
// DOM, so mounting, filtering and un-filtering cost the same for 20 claims or 5,000. Rows have a fixed
// height (CSS `.row`, kept in step with ROW_HEIGHT_PX), which makes the window pure arithmetic.
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';

export const ROW_HEIGHT_PX = 72;
const OVERSCAN_ROWS = 8;
const FALLBACK_VIEWPORT_PX = 720;

export interface RowWindow {
  start: number;
  end: number;
  /** Height of the rows above and below the window, kept as spacers so the scrollbar stays true. */
  before: number;
  after: number;
  onScroll: (event: Event) => void;
  /** Scrolls the least amount that shows row `index`, and renders the window there at once. */
  reveal: (index: number) => void;
}

export function useRowWindow(list: { current: HTMLElement | null }, count: number): RowWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT_PX);
  const frame = useRef(0);

  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const measure = () => setViewport(element.clientHeight || FALLBACK_VIEWPORT_PX);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [list]);

  const onScroll = useCallback((event: Event) => {
    const element = event.currentTarget as HTMLElement;
    // One update per frame, however fast the wheel spins.
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(element.scrollTop));
  }, []);

  const reveal = useCallback(
    (index: number) => {
      const element = list.current;
      if (!element || index < 0) return;
      const top = index * ROW_HEIGHT_PX;
      const bottom = top + ROW_HEIGHT_PX;
      let next = element.scrollTop;
      if (top < next) next = top;
      else if (bottom > next + element.clientHeight) next = bottom - element.clientHeight;
      if (next !== element.scrollTop) element.scrollTop = next;
      setScrollTop(element.scrollTop);
    },
    [list],
  );

  const maxTop = Math.max(0, count * ROW_HEIGHT_PX - viewport);
  const top = Math.min(scrollTop, maxTop);
  const start = Math.max(0, Math.floor(top / ROW_HEIGHT_PX) - OVERSCAN_ROWS);
  const end = Math.min(count, Math.ceil((top + viewport) / ROW_HEIGHT_PX) + OVERSCAN_ROWS);
  return {
    start,
    end,
    before: start * ROW_HEIGHT_PX,
    after: (count - end) * ROW_HEIGHT_PX,
    onScroll,
    reveal,
  };
}
