/**
 * One pull-request comment per PR, created or updated in place (found by a hidden marker), so a PR
 * that is pushed to ten times still has one comment. A token without write access (a fork PR) is a
 * warning: the annotations and the job summary already carry the result.
 */
import * as github from '@actions/github';

export const COMMENT_MARKER = '<!-- release-sigcheck:pr-comment -->';
/** GitHub refuses comments over 65,536 characters. */
const MAX_COMMENT_CHARS = 60_000;

export interface CommentTarget {
  token: string;
  owner: string;
  repo: string;
  issueNumber: number;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged' | 'forbidden';

export function toCommentBody(html: string): string {
  const body = `${COMMENT_MARKER}\n${html}`;
  return body.length <= MAX_COMMENT_CHARS ? body : `${body.slice(0, MAX_COMMENT_CHARS)}\n\n… (truncated; the job summary has the full table)`;
}

export async function upsertComment(target: CommentTarget, body: string): Promise<CommentOutcome> {
  const octokit = github.getOctokit(target.token, { baseUrl: process.env.GITHUB_API_URL ?? 'https://api.github.com' });
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner: target.owner, repo: target.repo, issue_number: target.issueNumber, per_page: 100 });
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(COMMENT_MARKER));
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
