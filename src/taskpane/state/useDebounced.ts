import { useEffect, useState } from 'react';

/**
 * A value that follows another once it has stopped changing for `delay` ms: work on a big table
 * (the rating of 100,000 customers takes a good tenth of a second) runs once a burst of typing is over.
 */
export function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (delay <= 0 || Object.is(value, settled)) return undefined;
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, settled, delay]);
  return delay <= 0 ? value : settled;
}
