/**
 * One pull-request comment per PR, created or updated in place, so a PR that is pushed to ten times
 * still has one comment. A token without write access (a fork PR) is a warning: the annotations and
 * the job summary already carry the result.
 *
 * The comment is found by its hidden marker AND its author: only a comment written by the token's own
 * identity is edited. Anyone can paste the marker into a comment of their own (or quote ours); editing
 * that comment would put our verdict under their name, or let them pick which comment we overwrite. A
 * marked comment by anyone else is left alone and a new one is created.
 */
import * as github from '@actions/github';

export const COMMENT_MARKER = '<!-- release-sigcheck:pr-comment -->';
/** GitHub refuses comments over 65,536 characters. */
const MAX_COMMENT_CHARS = 60_000;
/** Who writes with the workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface CommentTarget {
  token: string;
  owner: string;
  repo: string;
  issueNumber: number;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'forbidden';

export function toCommentBody(markdown: string): string {
  const body = `${COMMENT_MARKER}\n${markdown}`;
  return body.length <= MAX_COMMENT_CHARS ? body : `${body.slice(0, MAX_COMMENT_CHARS)}\n\n… (truncated; the job summary has the full table)`;
}

type Octokit = ReturnType<typeof github.getOctokit>;

export interface TokenIdentity {
  login: string;
  /** How it was learnt: asked of GitHub, or assumed because no API would say. */
  from: 'graphql viewer' | 'GET /user' | 'assumed';
}

/**
 * The login the token writes comments as. GraphQL's `viewer` answers for every kind of token (a
 * GITHUB_TOKEN is `github-actions[bot]`, an App installation token `<app>[bot]`, a personal token its
 * user); `GET /user` answers only for user tokens ("Resource not accessible by integration" otherwise),
 * so it is the fallback. When neither answers, the token is taken to be the workflow's GITHUB_TOKEN:
 * with any other token the comment is then never found and a new one is made each run, never someone
 * else's edited.
 */
export async function tokenIdentity(octokit: Octokit): Promise<TokenIdentity> {
  try {
    const data = await octokit.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }');
    if (data.viewer?.login) return { login: data.viewer.login, from: 'graphql viewer' };
  } catch {
    // fall through to REST
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    if (data.login) return { login: data.login, from: 'GET /user' };
  } catch {
    // fall through to the default
  }
  return { login: ACTIONS_BOT_LOGIN, from: 'assumed' };
}

interface CommentAuthor {
  login?: string;
  type?: string;
}

/** True when the comment was written by `identity` (REST logins of bots end in `[bot]`; GraphQL's may not). */
export function writtenBy(user: CommentAuthor | null | undefined, identity: string): boolean {
  if (!user?.login) return false;
  if (user.login === identity) return true;
  return user.type === 'Bot' && user.login === `${identity}[bot]`;
}

export async function upsertComment(target: CommentTarget, body: string): Promise<CommentOutcome> {
  const octokit = github.getOctokit(target.token, { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' });
  try {
    const me = await tokenIdentity(octokit);
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 });
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER) && writtenBy(c.user, me.login));
    if (mine) {
      if (mine.body === body) return 'unchanged';
      await octokit.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: mine.id, body });
      return 'updated';
    }
    await octokit.rest.issues.createComment({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, body });
    return 'created';
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 403 || status === 404) return 'forbidden';
    throw err;
  }
}
