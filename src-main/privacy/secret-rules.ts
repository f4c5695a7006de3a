import { lintSource } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';

/** A secret the rules found: where it is in the text, and the short name of the rule that found it. */
export interface SecretFinding {
  start: number;
  end: number;
  rule: string;
  /** The secret values the rule reported, when it did: redacted wherever they occur (a range can be short). */
  values?: string[];
}

type SecretlintConfig = Parameters<typeof lintSource>[0]['options']['config'];

const RULE_PREFIX = '@secretlint/secretlint-rule-';
/**
 * `secretlint-disable` comments are for a repository's own lint runs; honoured here, a file could switch
 * off its own redaction by saying so.
 */
const DIRECTIVE_RULE = `${RULE_PREFIX}filter-comments`;
/** Options that differ from a rule's defaults: an AWS access key id on its own is still a credential. */
const RULE_OPTIONS: Record<string, Record<string, unknown>> = { [`${RULE_PREFIX}aws`]: { enableIDScanRule: true } };

/** One config object for every call: secretlint's recommended rules (Anthropic and OpenAI included). */
const CONFIG: SecretlintConfig = {
  rules: recommendedRules
    .filter((rule) => rule.meta.id !== DIRECTIVE_RULE)
    .map((rule) => ({ id: rule.meta.id, rule, options: RULE_OPTIONS[rule.meta.id] ?? {} })),
};

/** The rule's name without the package prefix (`anthropic`, `aws`, `privatekey`…), as redaction markers show it. */
export function shortRuleName(ruleId: string): string {
  return ruleId.startsWith(RULE_PREFIX) ? ruleId.slice(RULE_PREFIX.length) : ruleId;
}

/**
 * Any PEM private key block. The preset's rule accepts only keys whose body starts like the common RSA
 * and PKCS#8 encodings, so a P-256 key in SEC1 form (`BEGIN EC PRIVATE KEY`, body `MH…`) would pass it.
 */
const PEM_PRIVATE_KEY =
  /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----[\s\S]{1,20000}?-----END \1PRIVATE KEY\2-----/g;
const PRIVATE_KEY_RULE = 'privatekey';

/** Message data fields that carry the secret itself (not its type or file name). */
const VALUE_FIELD = /^[A-Z_]+$/;
const NOT_VALUE_FIELDS = new Set(['FILE_NAME']);

/** Every secret the recommended rules (and the PEM block rule above) find in `text`, in text order. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  const result = await lintSource({
    source: { content: text, filePath: 'text', contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  const findings: SecretFinding[] = result.messages.map((message) => {
    const values = reportedValues(message.data);
    return {
      start: message.range[0],
      end: message.range[1],
      rule: shortRuleName(message.ruleId),
      ...(values.length > 0 ? { values } : {}),
    };
  });
  if (text.includes('PRIVATE KEY')) {
    for (const match of text.matchAll(PEM_PRIVATE_KEY)) {
      findings.push({ start: match.index, end: match.index + match[0].length, rule: PRIVATE_KEY_RULE });
    }
  }
  return findings.sort((a, b) => a.start - b.start || b.end - a.end);
}

function reportedValues(data: object | undefined): string[] {
  if (!data) return [];
  return Object.entries(data)
    .filter(([field, value]) => VALUE_FIELD.test(field) && !NOT_VALUE_FIELDS.has(field) && typeof value === 'string')
    .map(([, value]) => String(value));
}
