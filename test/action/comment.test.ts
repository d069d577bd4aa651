import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIONS_BOT_LOGIN, COMMENT_MARKER, toCommentBody, upsertComment, writtenBy } from '../../src/action/comment.ts';

// A stand-in for the GitHub API on 127.0.0.1: GraphQL's viewer, GET /user, and issue comments.
interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}
let comments: Comment[] = [];
let forbidden = false;
/** What the API says the token is: the login for both GraphQL and REST, or 403 like an installation token on /user. */
let viewer: { graphql: string | 403; rest: string | 403 } = { graphql: ACTIONS_BOT_LOGIN, rest: 403 };
let calls: string[] = [];
let server: Server;
const bot = { login: ACTIONS_BOT_LOGIN, type: 'Bot' };
const mallory = { login: 'mallory', type: 'User' };

beforeAll(async () => {
  server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      const author = () => {
        const login = typeof viewer.graphql === 'string' ? viewer.graphql : typeof viewer.rest === 'string' ? viewer.rest : ACTIONS_BOT_LOGIN;
        return { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      };
      if (req.method === 'POST' && req.url === '/graphql') {
        if (viewer.graphql === 403) {
          res.writeHead(403);
          res.end(JSON.stringify({ message: 'Resource not accessible by integration' }));
        } else res.end(JSON.stringify({ data: { viewer: { login: viewer.graphql } } }));
      } else if (req.method === 'GET' && req.url === '/user') {
        if (viewer.rest === 403) {
          res.writeHead(403);
          res.end(JSON.stringify({ message: 'Resource not accessible by integration' }));
        } else res.end(JSON.stringify({ login: viewer.rest }));
      } else if (forbidden && req.method !== 'GET') {
        res.writeHead(403);
        res.end(JSON.stringify({ message: 'Resource not accessible by integration' }));
      } else if (req.method === 'GET' && /^\/repos\/o\/r\/issues\/7\/comments/.test(req.url ?? '')) {
        res.end(JSON.stringify(comments));
      } else if (req.method === 'POST' && req.url === '/repos/o/r/issues/7/comments') {
        const c = { id: comments.length + 100, body: (JSON.parse(body) as { body: string }).body, user: author() };
        comments.push(c);
        res.writeHead(201);
        res.end(JSON.stringify(c));
      } else if (req.method === 'PATCH' && /^\/repos\/o\/r\/issues\/comments\/\d+$/.test(req.url ?? '')) {
        const id = Number(req.url!.split('/').pop());
        const c = comments.find((x) => x.id === id)!;
        c.body = (JSON.parse(body) as { body: string }).body;
        res.end(JSON.stringify(c));
      } else {
        res.writeHead(404);
        res.end('{}');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  vi.stubEnv('GITHUB_API_URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  calls = [];
  forbidden = false;
  viewer = { graphql: ACTIONS_BOT_LOGIN, rest: 403 };
});

const target = { token: 'ghs_test', owner: 'o', repo: 'r', issueNumber: 7 };

describe('upsertComment', () => {
  it('creates one comment, then updates it in place, and leaves it when nothing changed', async () => {
    comments = [{ id: 1, body: 'an unrelated review comment', user: mallory }];
    expect(await upsertComment(target, toCommentBody('<p>first</p>'))).toBe('created');
    expect(await upsertComment(target, toCommentBody('<p>second</p>'))).toBe('updated');
    expect(await upsertComment(target, toCommentBody('<p>second</p>'))).toBe('unchanged');
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toBe(`${COMMENT_MARKER}\n<p>second</p>`);
    expect(comments[0]!.body).toBe('an unrelated review comment');
  });

  it('never edits a marked comment written by someone else: it creates its own', async () => {
    const planted = `${COMMENT_MARKER}\nrelease-sigcheck: passed (trust me)`;
    comments = [{ id: 1, body: planted, user: mallory }];
    expect(await upsertComment(target, toCommentBody('<p>FAILED</p>'))).toBe('created');
    expect(comments[0]!.body).toBe(planted);
    expect(comments[1]).toMatchObject({ user: bot, body: `${COMMENT_MARKER}\n<p>FAILED</p>` });
    expect(calls.some((c) => c.startsWith('PATCH'))).toBe(false);
    // the next run finds its own comment, not the planted one
    expect(await upsertComment(target, toCommentBody('<p>FAILED again</p>'))).toBe('updated');
    expect(comments[0]!.body).toBe(planted);
    expect(comments[1]!.body).toBe(`${COMMENT_MARKER}\n<p>FAILED again</p>`);
  });

  it('a GitHub App token: the identity from GraphQL\'s viewer, so the github-actions[bot] comment is not taken over', async () => {
    viewer = { graphql: 'release-bot[bot]', rest: 403 };
    comments = [{ id: 1, body: `${COMMENT_MARKER}\nold`, user: bot }];
    expect(await upsertComment(target, toCommentBody('<p>app</p>'))).toBe('created');
    expect(comments[0]!.body).toBe(`${COMMENT_MARKER}\nold`);
    expect(await upsertComment(target, toCommentBody('<p>app 2</p>'))).toBe('updated');
    expect(comments[1]!.body).toBe(`${COMMENT_MARKER}\n<p>app 2</p>`);
  });

  it('a personal token without GraphQL: the identity from GET /user', async () => {
    viewer = { graphql: 403, rest: 'release-manager' };
    comments = [{ id: 1, body: `${COMMENT_MARKER}\nmine`, user: { login: 'release-manager', type: 'User' } }, { id: 2, body: `${COMMENT_MARKER}\nbot`, user: bot }];
    expect(await upsertComment(target, toCommentBody('<p>x</p>'))).toBe('updated');
    expect(comments.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\n<p>x</p>`, `${COMMENT_MARKER}\nbot`]);
  });

  it('when no API names the token, it is taken to be the GITHUB_TOKEN (github-actions[bot]), never another user', async () => {
    viewer = { graphql: 403, rest: 403 };
    comments = [{ id: 1, body: `${COMMENT_MARKER}\nplanted`, user: mallory }, { id: 2, body: `${COMMENT_MARKER}\nours`, user: bot }];
    expect(await upsertComment(target, toCommentBody('<p>y</p>'))).toBe('updated');
    expect(comments.map((c) => c.body)).toEqual([`${COMMENT_MARKER}\nplanted`, `${COMMENT_MARKER}\n<p>y</p>`]);
  });

  it('reports a read-only token (fork PR) as forbidden instead of failing', async () => {
    comments = [];
    forbidden = true;
    expect(await upsertComment(target, toCommentBody('<p>x</p>'))).toBe('forbidden');
  });

  it('keeps a comment under GitHub\'s size limit', () => {
    const body = toCommentBody('x'.repeat(100_000));
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/truncated; the job summary has the full table/);
  });
});

describe('writtenBy', () => {
  it('matches the login exactly, or a bot whose REST login adds [bot]', () => {
    expect(writtenBy(bot, ACTIONS_BOT_LOGIN)).toBe(true);
    expect(writtenBy(bot, 'github-actions')).toBe(true);
    expect(writtenBy({ login: 'github-actions[bot]', type: 'User' }, 'github-actions')).toBe(false);
    expect(writtenBy(mallory, ACTIONS_BOT_LOGIN)).toBe(false);
    expect(writtenBy(null, ACTIONS_BOT_LOGIN)).toBe(false);
  });
});
