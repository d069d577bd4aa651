import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMENT_MARKER, toCommentBody, upsertComment } from '../../src/action/comment.ts';

// A stand-in for the GitHub REST API on 127.0.0.1: issue comments only.
interface Comment {
  id: number;
  body: string;
}
let comments: Comment[] = [];
let forbidden = false;
const calls: string[] = [];
let server: Server;
beforeAll(async () => {
  server = createServer((req, res) => {
    calls.push(`${req.method} ${req.url}`);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (forbidden && req.method !== 'GET') {
        res.writeHead(403);
        res.end(JSON.stringify({ message: 'Resource not accessible by integration' }));
        return;
      }
      if (req.method === 'GET' && /^\/repos\/o\/r\/issues\/7\/comments/.test(req.url ?? '')) {
        res.end(JSON.stringify(comments));
      } else if (req.method === 'POST' && req.url === '/repos/o/r/issues/7/comments') {
        const c = { id: comments.length + 100, body: (JSON.parse(body) as { body: string }).body };
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

const target = { token: 'ghs_test', owner: 'o', repo: 'r', issueNumber: 7 };

describe('upsertComment', () => {
  it('creates one comment, then updates it in place, and leaves it when nothing changed', async () => {
    comments = [{ id: 1, body: 'an unrelated review comment' }];
    expect(await upsertComment(target, toCommentBody('<p>first</p>'))).toBe('created');
    expect(await upsertComment(target, toCommentBody('<p>second</p>'))).toBe('updated');
    expect(await upsertComment(target, toCommentBody('<p>second</p>'))).toBe('unchanged');
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toBe(`${COMMENT_MARKER}\n<p>second</p>`);
    expect(comments[0]!.body).toBe('an unrelated review comment');
  });

  it('reports a read-only token (fork PR) as forbidden instead of failing', async () => {
    comments = [];
    forbidden = true;
    expect(await upsertComment(target, toCommentBody('<p>x</p>'))).toBe('forbidden');
    forbidden = false;
  });

  it('keeps a comment under GitHub\'s size limit', () => {
    const body = toCommentBody('x'.repeat(100_000));
    expect(body.length).toBeLessThan(65_536);
    expect(body).toMatch(/truncated; the job summary has the full table/);
  });
});
