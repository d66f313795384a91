/**
 * Outgoing mail (decision 067): nodemailer over SMTP, configured by SMTP_URL and
 * MAIL_FROM. In development without SMTP_URL the composition root points it at an in-process
 * sink (server/mail/sink.ts) instead, so nothing leaves the machine.
 */
import nodemailer from "nodemailer";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(m) {
      const info = await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html, headers: m.headers });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
