/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />
import type { AtriumLoadContext } from "./server/atrium";

declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends AtriumLoadContext {}
  interface Future {
    v3_singleFetch: true;
  }
}
