import { useFetchers, useNavigation, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";

/**
 * Returns `refresh()`: asks for the page's loaders to re-run because a live event said something
 * changed. If a navigation, a form submission or a revalidation is already in flight, the refresh
 * waits for it to finish instead of aborting it (an aborted load surfaces as an error in the page).
 */
export function useRevalidateWhenIdle(): () => void {
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = navigation.state !== "idle" || revalidator.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const [wanted, setWanted] = useState(0);
  useEffect(() => {
    if (!wanted || busy) return;
    const t = setTimeout(() => {
      setWanted(0);
      revalidator.revalidate();
    }, 60);
    return () => clearTimeout(t);
  }, [wanted, busy, revalidator]);
  return useCallback(() => setWanted((n) => n + 1), []);
}
