// Loading data for a page: one request per set of parameters, the older
// answers dropped, the previous data kept (dimmed) while the next load.
import { useEffect, useRef, useState } from 'preact/hooks';

/** What a request shows: its state, the parameters it was made with, the body or the error. */
const IDLE = { state: 'idle', key: null, data: null, error: null };

/**
 * Load `request()` whenever `key` (a string naming the parameters) changes or
 * `reloads` is bumped; a null key clears the slot. Answers to older keys are
 * dropped, so fast clicking never shows mixed data. While loading, the previous
 * data stay (shown dimmed) until the new ones arrive.
 */
export function useLoad(key, request, reloads) {
  const [slot, setSlot] = useState(IDLE);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    if (key === null) {
      setSlot(IDLE);
      return;
    }
    setSlot((previous) => ({ ...previous, state: 'loading', key }));
    request().then(
      (data) => {
        if (mine === seq.current) setSlot({ state: 'ready', key, data, error: null });
      },
      (error) => {
        if (mine === seq.current) setSlot({ state: 'error', key, data: null, error });
      },
    );
  }, [key, reloads]);
  // Between a change of key and the effect above, the slot still holds the old
  // answer: report it as loading so 'ready' always means "the data for `key`".
  if (slot.key === key) return slot;
  return { ...slot, state: key === null ? 'idle' : 'loading', key };
}

/**
 * useLoad for a page that must show changes saved elsewhere within seconds:
 * besides loading on a change of `key` (or `reloads`), it asks again every
 * `intervalMs` while the tab is visible, at once when the tab becomes visible
 * again or the window gets the focus. Such a refresh never shows 'loading' and
 * never drops the data on screen: an answer that equals the one shown keeps
 * the same object (nothing re-renders differently), a failed one keeps the
 * data and sets `refreshError`. One request at a time. The slot also carries
 * `updatedAt` (Date of the last answer) and `refreshes` (answers so far).
 */
export function useLiveLoad(key, request, reloads, { intervalMs = 10000 } = {}) {
  const slot = useLoad(key, request, reloads);
  const [fresh, setFresh] = useState(null); // {key, data, text, at, error, count} from the refreshes
  const latest = useRef({ key, request, slot, fresh });
  latest.current = { key, request, slot, fresh };
  const busy = useRef(false);
  const seq = useRef(0);

  // A change of key starts afresh: answers to refreshes of the old key are dropped.
  useEffect(() => {
    seq.current += 1;
    busy.current = false;
    setFresh(null);
  }, [key, reloads]);

  useEffect(() => {
    let timer = null;
    const refresh = () => {
      const { key: current, request: ask, slot: shown } = latest.current;
      if (current === null || busy.current || shown.state !== 'ready' || document.visibilityState === 'hidden') return;
      busy.current = true;
      const mine = seq.current;
      ask().then(
        (data) => {
          if (mine !== seq.current) return;
          busy.current = false;
          const text = JSON.stringify(data);
          setFresh((previous) => {
            const base = previous && previous.key === current ? previous : null;
            const same = base ? base.text === text : JSON.stringify(shown.data) === text;
            return {
              key: current,
              data: same ? (base ? base.data : shown.data) : data,
              text,
              at: new Date(),
              error: null,
              count: (base ? base.count : 0) + 1,
            };
          });
        },
        (error) => {
          if (mine !== seq.current) return;
          busy.current = false;
          setFresh((previous) => ({ ...(previous && previous.key === current ? previous : { key: current, count: 0 }), error }));
        },
      );
    };
    const start = () => {
      if (timer === null && document.visibilityState !== 'hidden') timer = setInterval(refresh, intervalMs);
    };
    const stop = () => {
      if (timer !== null) clearInterval(timer);
      timer = null;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') stop();
      else {
        refresh();
        start();
      }
    };
    start();
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('focus', refresh);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('focus', refresh);
    };
  }, [intervalMs]);

  // The first answer's time, for "updated at" before any refresh.
  const loadedAt = useRef({ key: null, at: null });
  if (slot.state === 'ready' && loadedAt.current.key !== slot.data) loadedAt.current = { key: slot.data, at: new Date() };

  if (slot.state !== 'ready' || !fresh || fresh.key !== key) {
    return { ...slot, updatedAt: slot.state === 'ready' ? loadedAt.current.at : null, refreshError: null, refreshes: 0 };
  }
  return {
    ...slot,
    data: fresh.data || slot.data,
    updatedAt: fresh.data ? fresh.at : loadedAt.current.at,
    refreshError: fresh.error || null,
    refreshes: fresh.count || 0,
  };
}
