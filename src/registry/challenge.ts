/**
 * Parses `WWW-Authenticate` challenges (RFC 9110 11.6.1), as registries send them on 401:
 * `Bearer realm="https://quay.io/v2/auth",service="quay.io",scope="repository:x:pull"` or
 * `Basic realm="Registry Realm"`. Several challenges may share one header, separated by commas.
 */

export interface Challenge {
  /** Lower-case scheme: `bearer`, `basic`, ... */
  scheme: string;
  /** Lower-case parameter names. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

export function parseChallenges(header: string | undefined): Challenge[] {
  if (header === undefined) return [];
  const out: Challenge[] = [];
  let s = header;
  let current: Challenge | undefined;
  const skip = () => {
    s = s.replace(/^[\s,]+/, '');
  };
  skip();
  while (s.length > 0) {
    const word = TOKEN.exec(s);
    if (!word) break;
    const name = word[0];
    const after = s.slice(name.length).replace(/^\s*/, '');
    if (after.startsWith('=') && current) {
      // auth-param: name = token / quoted-string
      s = after.slice(1).replace(/^\s*/, '');
      let value: string;
      if (s.startsWith('"')) {
        let i = 1;
        value = '';
        while (i < s.length && s[i] !== '"') {
          if (s[i] === '\\' && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        s = s.slice(i + 1);
      } else {
        // RFC 9110 wants a token here; be lenient with unquoted URLs (`realm=https://x/token`).
        value = (/^[^,\s]*/.exec(s) as RegExpExecArray)[0];
        s = s.slice(value.length);
      }
      current.params[name.toLowerCase()] = value;
    } else {
      current = { scheme: name.toLowerCase(), params: {} };
      out.push(current);
      s = after;
      // token68 form (`Basic abc==`) carries no parameters we use; skip it.
      const t68 = /^[A-Za-z0-9\-._~+/]+=*(?=\s*(,|$))/.exec(s);
      if (t68 && !/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+\s*=[^=]/.test(s)) s = s.slice(t68[0].length);
    }
    skip();
  }
  return out;
}
