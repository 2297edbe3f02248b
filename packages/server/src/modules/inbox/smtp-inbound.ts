import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { InboxIntake } from './inbox-intake.js';

export interface SmtpInboundLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const IMAGE = /^image\/(jpeg|png|webp)$/;
const PHOTO_MAX_BYTES = 700 * 1024;

/**
 * Inbound email into the inbox: a plain SMTP listener (SMTP_INBOUND_PORT; put it behind the organisation's mail
 * relay, which does TLS, authentication and spam filtering). Each message is parsed with mailparser; its sender and
 * subject are recorded; an attachment above the size limit is refused with its reason recorded on the item while
 * the message itself is kept; the first small image becomes the item's photo.
 */
export class SmtpInbound {
  private server: SMTPServer | null = null;

  constructor(private readonly deps: { intake: InboxIntake; host: string; port: number; maxAttachmentBytes: number; log?: SmtpInboundLog; now: () => number }) {}

  /** The port it listens on (useful when started on port 0). */
  port = 0;

  async start(): Promise<void> {
    const { maxAttachmentBytes } = this.deps;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'Gridline inbox',
      // The whole message may carry a refused attachment plus text; far larger messages are cut off at the door.
      size: maxAttachmentBytes * 4 + 1024 * 1024,
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (mail) => {
            if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
              const err = new Error(`邮件过大，超过 ${Math.round((maxAttachmentBytes * 4) / 1024 / 1024)} MB 上限`) as Error & { responseCode: number };
              err.responseCode = 552;
              return callback(err);
            }
            const res = await this.deps.intake.email(this.describe(mail, session.envelope.mailFrom ? session.envelope.mailFrom.address : ''));
            const out = res.items[0];
            if (out?.status === 'rejected') {
              const err = new Error(out.reason ?? '拒收') as Error & { responseCode: number };
              err.responseCode = 550;
              return callback(err);
            }
            this.deps.log?.info({ itemId: out?.itemId, status: out?.status }, 'inbound email stored');
            callback(null, `已收到（${out?.status === 'duplicate' ? '重复' : '已入收件箱'}）`);
          })
          .catch((err: unknown) => {
            this.deps.log?.warn({ err }, 'inbound email not parsed');
            const e = new Error('无法解析该邮件') as Error & { responseCode: number };
            e.responseCode = 554;
            callback(e);
          });
      },
    });
    this.server.on('error', (err) => this.deps.log?.warn({ err }, 'SMTP inbound error'));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.deps.port, this.deps.host, () => resolve());
    });
    const addr = (this.server as unknown as { server: { address(): { port: number } | string | null } }).server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.deps.port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private describe(mail: ParsedMail, envelopeFrom: string) {
    const { maxAttachmentBytes } = this.deps;
    const sender = mail.from?.value[0];
    let photo: string | null = null;
    const attachments = mail.attachments.map((a) => {
      const name = a.filename ?? '(未命名附件)';
      if (a.size > maxAttachmentBytes) {
        return { name, size: a.size, contentType: a.contentType, refused: `附件「${name}」大小 ${(a.size / 1024 / 1024).toFixed(1)} MB，超过 ${(maxAttachmentBytes / 1024 / 1024).toFixed(1)} MB 上限，已拒收` };
      }
      if (!photo && IMAGE.test(a.contentType) && a.size <= PHOTO_MAX_BYTES) photo = `data:${a.contentType};base64,${a.content.toString('base64')}`;
      return { name, size: a.size, contentType: a.contentType };
    });
    return {
      messageId: mail.messageId ?? null,
      from: sender?.address ?? envelopeFrom,
      fromName: sender?.name || null,
      subject: mail.subject ?? '',
      text: (mail.text ?? '').trim(),
      receivedAt: this.deps.now(),
      attachments,
      photo,
    };
  }
}
