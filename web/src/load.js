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
