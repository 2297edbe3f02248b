import path from 'node:path';

/**
 * Configuration is read once at start from the environment, typed and validated;
 * every problem is listed before the process exits. Defaults alone run Gridline on SQLite.
 */
export interface Config {
  /** HTTP port (PORT). Default 3000. */
  port: number;
  /** Interface to bind (HOST). Default 0.0.0.0. */
  host: string;
  /** Public base URL printed at start (PUBLIC_URL). Default http://localhost:PORT. */
  publicUrl: string;
  db:
    | { dialect: 'sqlite'; file: string }
    | { dialect: 'postgres'; url: string; schema: string | undefined; poolSize: number };
  /** Directory for the SQLite file, the key file and generated files (DATA_DIR). Default ./data. */
  dataDir: string;
  /** AES-256 key for personal data, base64 (GRIDLINE_DATA_KEY); else read or created at DATA_DIR/gridline.key. */
  dataKey: string | undefined;
  session: {
    /** Minutes without activity before a session ends (SESSION_IDLE_MINUTES). Default 30. */
    idleMinutes: number;
    /** Hours after sign-in when a session ends regardless (SESSION_ABSOLUTE_HOURS). Default 12. */
    absoluteHours: number;
    /** Send the cookie only over HTTPS (COOKIE_SECURE). Default false: set true behind TLS. */
    cookieSecure: boolean;
  };
  login: {
    /** Failed sign-ins before the account locks (LOGIN_MAX_FAILURES). Default 5. */
    maxFailures: number;
    /** Minutes an account stays locked (LOGIN_LOCK_MINUTES). Default 15. */
    lockMinutes: number;
    /** Sign-in attempts per client IP per minute, over all accounts (LOGIN_RATE_PER_MINUTE). Default 30. */
    ratePerMinute: number;
  };
  /** Seed the demo street when the database is empty (DEMO_ON_EMPTY). Default true. */
  demoOnEmpty: boolean;
  /** Seed of the demo generator (DEMO_SEED). Default 20261129. */
  demoSeed: number;
  /** Residents in the demo street (DEMO_RESIDENTS). Default 20000. */
  demoResidents: number;
  /** Largest accepted request body in bytes (BODY_LIMIT). Default 1 MiB. */
  bodyLimit: number;
  /** Trust X-Forwarded-For from a reverse proxy (TRUST_PROXY). Default false: client IPs in the audit log come from the socket. */
  trustProxy: boolean;
  /** When set, /metrics requires `Authorization: Bearer <METRICS_TOKEN>`. Default unset (open; restrict at the proxy). */
  metricsToken: string | undefined;
  /** Map tiles (TILE_URL, e.g. https://tiles.example/{z}/{x}/{y}.png; TILE_ATTRIBUTION). Default none: boundaries on a plain background. */
  tiles: { url: string; attribution: string };
  /** Days uploaded, exported and error-report files are kept before deletion (FILE_RETENTION_DAYS). Default 7. */
  fileRetentionDays: number;
  /** Scans (person × place × time) are forgotten after this many days: tracing looks back two weeks. */
  scanRetentionDays: number;
  /** Seconds between keep-alive lines on the live event stream; each also re-checks the session. */
  liveHeartbeatSeconds: number;
  /**
   * Gate devices over MQTT (MQTT_URL, e.g. mqtt://user:pass@127.0.0.1:1883; empty = off) and the first level of
   * their topics (MQTT_TOPIC_PREFIX, default gridline): see docs/DEVICES.md.
   */
  mqtt: { url: string; topicPrefix: string };
  /**
   * Notifications and the inbox (issue #8). Email out through SMTP_URL (smtp://user:pass@host:587, smtps://…;
   * empty = no email) from SMTP_FROM; inbound email on SMTP_INBOUND_PORT (empty = off; SMTP_INBOUND_HOST, default
   * 0.0.0.0), landing under SMTP_INBOUND_NODE (default: the top region node); attachments above
   * INBOX_ATTACHMENT_MAX_BYTES (default 5 MiB) are refused; outgoing webhooks get WEBHOOK_MAX_ATTEMPTS tries.
   */
  notifications: {
    smtpUrl: string;
    smtpFrom: string;
    inboundPort: number | null;
    inboundHost: string;
    inboundNode: string;
    attachmentMaxBytes: number;
    webhookMaxAttempts: number;
  };
  /** Font file for the Chinese text of place posters (GRIDLINE_CJK_FONT). Default: Noto Sans CJK where the OS keeps it. */
  cjkFont: string | undefined;
  /** pino level (LOG_LEVEL). Default info. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Directory of the built web app (WEB_DIST). Default packages/web/dist. */
  webDist: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return def;
  };

  const port = int('PORT', 3000, 0, 65535);
  const dataDir = path.resolve(cwd, env.DATA_DIR || 'data');
  const databaseUrl = env.DATABASE_URL;
  let db: Config['db'];
  if (!databaseUrl || databaseUrl.startsWith('sqlite:') || databaseUrl.startsWith('file:')) {
    const file = databaseUrl ? databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '') : path.join(dataDir, 'gridline.sqlite');
    db = { dialect: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
  } else if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const schema = env.DATABASE_SCHEMA || undefined;
    if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) problems.push(`DATABASE_SCHEMA must be a lowercase SQL identifier (got "${schema}")`);
    db = { dialect: 'postgres', url: databaseUrl, schema, poolSize: int('DATABASE_POOL_SIZE', 10, 1, 200) };
  } else {
    problems.push('DATABASE_URL must start with postgres://, postgresql://, sqlite: or file:');
    db = { dialect: 'sqlite', file: path.join(dataDir, 'gridline.sqlite') };
  }

  const dataKey = env.GRIDLINE_DATA_KEY || undefined;
  if (dataKey && Buffer.from(dataKey, 'base64').length !== 32) problems.push('GRIDLINE_DATA_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');

  const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}`);

  const publicUrl = env.PUBLIC_URL || `http://localhost:${port}`;
  const mqttUrl = env.MQTT_URL || '';
  if (mqttUrl && !/^(mqtts?|wss?|tcp|ssl):\/\//.test(mqttUrl)) problems.push('MQTT_URL must start with mqtt://, mqtts://, ws:// or wss:// (or be empty to turn MQTT off)');
  const mqttTopicPrefix = env.MQTT_TOPIC_PREFIX || 'gridline';
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(mqttTopicPrefix)) problems.push('MQTT_TOPIC_PREFIX must be topic levels of letters, digits, - and _ separated by / (no wildcards)');
  const smtpUrl = env.SMTP_URL || '';
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) problems.push('SMTP_URL must start with smtp:// or smtps:// (or be empty to send no email)');
  const inboundNode = env.SMTP_INBOUND_NODE || '';
  if (inboundNode && !/^[0-9]{6,24}$/.test(inboundNode)) problems.push('SMTP_INBOUND_NODE must be a region code (6 to 24 digits)');
  const config: Config = {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    db,
    dataDir,
    dataKey,
    session: {
      idleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      absoluteHours: int('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
      cookieSecure: bool('COOKIE_SECURE', false),
    },
    login: { maxFailures: int('LOGIN_MAX_FAILURES', 5, 1, 100), lockMinutes: int('LOGIN_LOCK_MINUTES', 15, 1, 24 * 60), ratePerMinute: int('LOGIN_RATE_PER_MINUTE', 30, 1, 100_000) },
    demoOnEmpty: bool('DEMO_ON_EMPTY', true),
    demoSeed: int('DEMO_SEED', 20261129, 0, 2 ** 31 - 1),
    demoResidents: int('DEMO_RESIDENTS', 20000, 100, 2_000_000),
    bodyLimit: int('BODY_LIMIT', 1024 * 1024, 1024, 100 * 1024 * 1024),
    trustProxy: bool('TRUST_PROXY', false),
    metricsToken: env.METRICS_TOKEN || undefined,
    fileRetentionDays: int('FILE_RETENTION_DAYS', 7, 1, 3650),
    scanRetentionDays: int('SCAN_RETENTION_DAYS', 28, 14, 3650),
    liveHeartbeatSeconds: int('LIVE_HEARTBEAT_SECONDS', 25, 1, 300),
    tiles: { url: env.TILE_URL || '', attribution: env.TILE_ATTRIBUTION || '' },
    mqtt: { url: mqttUrl, topicPrefix: mqttTopicPrefix },
    notifications: {
      smtpUrl,
      smtpFrom: env.SMTP_FROM || 'Gridline 社区防线 <noreply@gridline.local>',
      inboundPort: env.SMTP_INBOUND_PORT ? int('SMTP_INBOUND_PORT', 0, 0, 65535) : null,
      inboundHost: env.SMTP_INBOUND_HOST || '0.0.0.0',
      inboundNode,
      attachmentMaxBytes: int('INBOX_ATTACHMENT_MAX_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
      webhookMaxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 6, 1, 20),
    },
    cjkFont: env.GRIDLINE_CJK_FONT || undefined,
    logLevel,
    webDist: path.resolve(cwd, env.WEB_DIST || 'packages/web/dist'),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
