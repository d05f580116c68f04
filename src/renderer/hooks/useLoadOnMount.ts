import { useEffect } from 'react';
import { useAction } from './useAction';

/** A screen's loader: runs once when the screen mounts, and again from its Refresh button. */
export function useLoadOnMount<R>(load: () => Promise<R>) {
  const action = useAction(load);
  const { run } = action;
  useEffect(() => {
    void run();
  }, [run]);
  return action;
}
