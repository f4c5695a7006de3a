/**
 * Links the app may open in the system browser. Anything else (other hosts, other schemes such as
 * file: or javascript:) is refused, because a compromised page could otherwise launch arbitrary URLs.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'docs.anthropic.com',
  'console.anthropic.com',
  'www.anthropic.com',
  'docs.docker.com',
  'github.com',
  'ollama.com',
  'lmstudio.ai',
];

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username !== '' || url.password !== '') return false;
  return EXTERNAL_LINK_HOSTS.includes(url.hostname);
}
