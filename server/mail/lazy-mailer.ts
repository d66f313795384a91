/**
 * A mailer whose transport is opened by its first message: the SMTP client (and, in development,
 * the in-process sink) are a sizeable share of the memory at start and most runs send no mail.
 * Messages sent while it opens wait for the same transport; an opening that fails is tried again
 * by the next message.
 */
import type { Mailer } from "./mailer.js";

export function mailerOnFirstUse(open: () => Promise<Mailer>, onClose?: () => Promise<void>): Mailer & { readonly opened: boolean; closeAll(): Promise<void> } {
  let opening: Promise<Mailer> | null = null;
  let mailer: Mailer | null = null;
  return {
    get opened() {
      return mailer !== null;
    },
    async send(mail) {
      opening ??= open().then(
        (m) => (mailer = m),
        (err: unknown) => {
          opening = null;
          throw err;
        },
      );
      return (await opening).send(mail);
    },
    close() {
      mailer?.close();
    },
    async closeAll() {
      await opening?.catch(() => undefined);
      mailer?.close();
      await onClose?.();
    },
  };
}
