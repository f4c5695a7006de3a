import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

/**
 * Test support: secrets of each kind secretlint's recommended rules know, generated fresh at test time
 * (random bytes in each provider's format), so no test depends on a fixed string a rule might
 * special-case or allow-list. `text` is how the secret appears in a file; `secret` is what must not
 * survive redaction; `rule` is the marker's name.
 */
export interface GeneratedSecret {
  kind: string;
  rule: string;
  secret: string;
  text: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const URL_SAFE = `${ALNUM}_-`;
const HEX = '0123456789abcdef';

/**
 * `length` random characters of `alphabet`, the first and last of them alphanumeric when the alphabet
 * has any (rules anchor on word borders).
 */
export function randomText(length: number, alphabet = ALNUM): string {
  const pick = (from: string) => from[randomInt(from.length)] ?? 'a';
  const edges = [...alphabet].filter((character) => ALNUM.includes(character)).join('') || alphabet;
  return Array.from({ length }, (_, index) => pick(index === 0 || index === length - 1 ? edges : alphabet)).join('');
}

const plain = (kind: string, rule: string, secret: string, context = (value: string) => `token = "${value}"\n`) => ({
  kind,
  rule,
  secret,
  text: context(secret),
});

function privateKeyPem(type: 'rsa' | 'ec'): string {
  const { privateKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: type === 'rsa' ? 'pkcs1' : 'sec1', format: 'pem' }).toString();
}

/** A 1Password service account token: `ops_` and base64 of a JSON object (so it starts `ey`, ends `fQ==`). */
function onePasswordToken(): string {
  for (;;) {
    const json = JSON.stringify({ signInAddress: 'my.1password.com', secret: randomText(90 + randomInt(20)) });
    const encoded = Buffer.from(json).toString('base64');
    if (encoded.endsWith('fQ==')) return `ops_${encoded}`;
  }
}

/** One freshly generated secret of every kind the tests cover. */
export function generateSecrets(): GeneratedSecret[] {
  const awsSecret = randomText(40, `${ALNUM}/+`);
  const gcpKey = privateKeyPem('rsa');
  const password = randomText(16);
  const databasePassword = randomText(18);
  return [
    plain('Anthropic API key', 'anthropic', `sk-ant-api03-${randomText(93, URL_SAFE)}AA`),
    plain('OpenAI project key', 'openai', `sk-proj-${randomText(74, URL_SAFE)}T3BlbkFJ${randomText(74, URL_SAFE)}`),
    plain(
      'AWS access key id',
      'aws',
      `AKIA${randomText(16, UPPER + DIGITS)}`,
      (value) => `aws_access_key_id = ${value}\n`,
    ),
    plain('AWS secret access key', 'aws', awsSecret, (value) => `AWS_SECRET_ACCESS_KEY="${value}"\n`),
    plain('GitHub personal access token', 'github', `ghp_${randomText(36)}`),
    plain('GitHub fine-grained token', 'github', `github_pat_${randomText(82, `${ALNUM}_`)}`),
    plain('Slack bot token', 'slack', `xoxb-${randomText(11, DIGITS)}-${randomText(12, DIGITS)}-${randomText(24)}`),
    plain(
      'Slack incoming webhook',
      'slack',
      `https://hooks.slack.com/services/T${randomText(10, UPPER + DIGITS)}/B${randomText(10, UPPER + DIGITS)}/${randomText(24)}`,
    ),
    plain('npm access token', 'npm', `npm_${randomText(36)}`),
    plain('GitLab personal access token', 'gitlab', `glpat-${randomText(20, URL_SAFE)}`),
    plain('SendGrid API key', 'sendgrid', `SG.${randomText(22)}.${randomText(43)}`),
    plain('Shopify access token', 'shopify', `shpat_${randomText(32, HEX)}`),
    plain('Hugging Face token', 'huggingface', `hf_${randomText(34, UPPER + LOWER)}`),
    plain('Groq API key', 'groq', `gsk_${randomText(52)}`),
    plain('Linear API key', 'linear', `lin_api_${randomText(40)}`),
    plain('Notion integration token', 'notion', `ntn_${randomText(11, DIGITS)}${randomText(35)}`),
    plain('Databricks token', 'databricks', `dapi${randomText(32, HEX)}`),
    plain('Docker personal access token', 'docker', `dckr_pat_${randomText(27, URL_SAFE)}`),
    plain('Figma token', 'figma', `figd_${randomText(40, URL_SAFE)}`),
    plain('Vercel token', 'vercel', `vcp_${randomText(40)}`),
    plain('HashiCorp Vault token', 'hashicorp-vault', `hvs.${randomText(95, URL_SAFE)}`),
    plain('Grafana service account token', 'grafana', `glsa_${randomText(32)}_${randomText(8, HEX)}`),
    plain('1Password service account token', '1password', onePasswordToken()),
    plain('RSA private key', 'privatekey', privateKeyPem('rsa'), (value) => value),
    plain('EC private key (SEC1)', 'privatekey', privateKeyPem('ec'), (value) => `key:\n${value}`),
    {
      kind: 'GCP service account JSON',
      rule: 'privatekey',
      secret: gcpKey,
      text: JSON.stringify(
        {
          type: 'service_account',
          project_id: `project-${randomText(8, LOWER)}`,
          private_key_id: randomBytes(20).toString('hex'),
          private_key: gcpKey,
          client_email: `robot@project-${randomText(8, LOWER)}.iam.gserviceaccount.com`,
        },
        null,
        2,
      ),
    },
    plain(
      'basic-auth URL',
      'basicauth',
      password,
      (value) => `remote: https://deploy:${value}@git.example.com/repo.git\n`,
    ),
    plain(
      'PostgreSQL connection string',
      'database-connection-string',
      databasePassword,
      (value) => `DATABASE_URL=postgres://app:${value}@db.internal:5432/app\n`,
    ),
  ];
}
