import { useEffect, useRef, useState } from "react";
import type { EntityRef } from "~/schemas/entities";
import { useRealtime, useSocketEvent } from "./client";
import { useRevalidateWhenIdle } from "./revalidate-when-idle";

const keyOf = (r: EntityRef) => `${r.type}:${r.id}`;

/**
 * Keeps a page live: watches the entities it shows (entity.watch, checked by the policy on the
 * server) and revalidates the page's loaders when one of them changes — or when the reader's
 * access is revoked, so the loader shows the refusal. After a lost connection the page
 * revalidates once, since notices sent meanwhile were missed.
 *
 * Returns true once the server accepted every watch (pages expose it as data-live).
 */
export function useEntityWatch(refs: EntityRef[]): boolean {
  const { socket, connection } = useRealtime();
  const refresh = useRevalidateWhenIdle();
  const key = [...new Set(refs.map(keyOf))].sort().join(",");
  const [live, setLive] = useState(false);
  const previous = useRef(connection);

  // Back after a lost connection: notices sent meanwhile were missed, so load once.
  useEffect(() => {
    if (previous.current === "offline" && connection === "connected") refresh();
    previous.current = connection;
  }, [connection, refresh]);

  useEffect(() => {
    setLive(false);
    if (!socket || connection !== "connected") return;
    const list: EntityRef[] = key
      ? key.split(",").map((k) => {
          const i = k.indexOf(":");
          return { type: k.slice(0, i) as EntityRef["type"], id: k.slice(i + 1) };
        })
      : [];
    let cancelled = false;
    let accepted = 0;
    for (const ref of list)
      socket.emit("entity.watch", ref, (r) => {
        if (!cancelled && r?.ok && ++accepted === list.length) setLive(true);
      });
    return () => {
      cancelled = true;
      // A dropped connection already left every room; a buffered unwatch would only arrive late.
      if (socket.connected) for (const ref of list) socket.emit("entity.unwatch", ref);
    };
  }, [socket, connection, key, refresh]);

  const mine = (r: EntityRef) => !!r && key.split(",").includes(keyOf(r));
  useSocketEvent("entity.changed", (r) => mine(r) && refresh());
  useSocketEvent("entity.revoked", (r) => mine(r) && refresh());
  return live;
}
