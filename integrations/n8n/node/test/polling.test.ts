/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests run in plain Node, never inside n8n, and are not part of the package */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DocumentStatus, StatusProbe, WaitTarget } from '../nodes/DynamicRag/polling';
import { waitForDocuments } from '../nodes/DynamicRag/polling';

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
	let now = 1_000_000;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		advance: (ms: number) => {
			now += ms;
		},
	};
}

const status = (id: string, value: string, version = 1, extra: object = {}): StatusProbe => ({
	kind: 'status',
	status: { document_id: id, status: value, version, ...extra } as DocumentStatus,
});

/** Answers from a script per document; the last answer repeats. Records the time of every request. */
function scripted(script: Record<string, StatusProbe[]>, clock: ReturnType<typeof fakeClock>) {
	const asked: Array<{ id: string; at: number }> = [];
	const fetch = async (target: WaitTarget): Promise<StatusProbe> => {
		asked.push({ id: target.documentId, at: clock.now() });
		const answers = script[target.documentId];
		return answers.length > 1 ? (answers.shift() as StatusProbe) : answers[0];
	};
	return { fetch, asked };
}

describe('wait for completion', () => {
	it('polls every interval until the document is completed', async () => {
		const clock = fakeClock();
		const start = clock.now();
		const { fetch, asked } = scripted(
			{
				d1: [
					status('d1', 'processing'),
					status('d1', 'processing'),
					status('d1', 'completed', 1, { chunk_count: 3 }),
				],
			},
			clock,
		);
		const [result] = await waitForDocuments([{ documentId: 'd1', version: 1 }], fetch, {
			intervalMs: 2000,
			timeoutMs: 300_000,
			...clock,
		});
		assert.equal(result.timedOut, false);
		assert.equal(result.status?.status, 'completed');
		assert.equal(result.status?.chunk_count, 3);
		// first look after one interval (the answer said "processing"), then every interval
		assert.deepEqual(
			asked.map((a) => a.at - start),
			[2000, 4000, 6000],
		);
		assert.deepEqual(clock.sleeps, [2000, 2000, 2000]);
	});

	it('ends on failed and hands over the error message', async () => {
		const clock = fakeClock();
		const { fetch } = scripted(
			{
				d1: [
					status('d1', 'processing'),
					status('d1', 'failed', 1, { error_message: 'encrypted PDF' }),
				],
			},
			clock,
		);
		const [result] = await waitForDocuments([{ documentId: 'd1', version: 1 }], fetch, {
			intervalMs: 1000,
			timeoutMs: 60_000,
			...clock,
		});
		assert.equal(result.timedOut, false);
		assert.equal(result.status?.status, 'failed');
		assert.equal(result.status?.error_message, 'encrypted PDF');
	});

	it('times out after the timeout, with one last look at the deadline', async () => {
		const clock = fakeClock();
		const start = clock.now();
		const { fetch, asked } = scripted({ d1: [status('d1', 'processing')] }, clock);
		const [result] = await waitForDocuments([{ documentId: 'd1', version: 1 }], fetch, {
			intervalMs: 2000,
			timeoutMs: 5000,
			...clock,
		});
		assert.equal(result.timedOut, true);
		assert.equal(result.status?.status, 'processing', 'the last status seen is kept');
		assert.deepEqual(
			asked.map((a) => a.at - start),
			[2000, 4000, 5000],
		);
		assert.equal(clock.now() - start, 5000, 'never sleeps past the deadline');
	});

	it('does not take an older version that is completed for the new one', async () => {
		const clock = fakeClock();
		const { fetch, asked } = scripted(
			{
				d1: [
					status('d1', 'completed', 1),
					status('d1', 'processing', 2),
					status('d1', 'completed', 2),
				],
			},
			clock,
		);
		const [result] = await waitForDocuments([{ documentId: 'd1', version: 2 }], fetch, {
			intervalMs: 10,
			timeoutMs: 1000,
			...clock,
		});
		assert.equal(result.status?.version, 2);
		assert.equal(result.status?.status, 'completed');
		assert.equal(asked.length, 3);
	});

	it('looks at once for a duplicate answer (nothing new was submitted)', async () => {
		const clock = fakeClock();
		const { fetch, asked } = scripted({ d1: [status('d1', 'completed', 3)] }, clock);
		const [result] = await waitForDocuments(
			[{ documentId: 'd1', version: 3, checkNow: true }],
			fetch,
			{ intervalMs: 2000, timeoutMs: 60_000, ...clock },
		);
		assert.equal(result.status?.status, 'completed');
		assert.equal(asked.length, 1);
		assert.deepEqual(clock.sleeps, []);
	});

	it('keeps waiting through 404 (not visible yet) and honours Retry-After of a 429', async () => {
		const clock = fakeClock();
		const start = clock.now();
		const { fetch, asked } = scripted(
			{
				d1: [
					{ kind: 'notFound' },
					{ kind: 'rateLimited', retryAfterMs: 17_000 },
					status('d1', 'completed'),
				],
			},
			clock,
		);
		const [result] = await waitForDocuments([{ documentId: 'd1', version: 1 }], fetch, {
			intervalMs: 2000,
			timeoutMs: 300_000,
			...clock,
		});
		assert.equal(result.status?.status, 'completed');
		assert.deepEqual(
			asked.map((a) => a.at - start),
			[2000, 4000, 21_000],
		);
	});

	it('waits for many documents at once and reports each', async () => {
		const clock = fakeClock();
		const { fetch, asked } = scripted(
			{
				a: [status('a', 'completed')],
				b: [status('b', 'processing'), status('b', 'failed')],
				c: [status('c', 'processing')],
			},
			clock,
		);
		const results = await waitForDocuments(
			[
				{ documentId: 'a', version: 1 },
				{ documentId: 'b', version: 1 },
				{ documentId: 'c', version: 1 },
			],
			fetch,
			{ intervalMs: 1000, timeoutMs: 3000, ...clock },
		);
		assert.deepEqual(
			results.map((r) => [r.target.documentId, r.status?.status, r.timedOut]),
			[
				['a', 'completed', false],
				['b', 'failed', false],
				['c', 'processing', true],
			],
		);
		// a finished in round 1 and is not asked again
		assert.equal(asked.filter((x) => x.id === 'a').length, 1);
	});

	it('lets an error of the status request end the wait', async () => {
		const clock = fakeClock();
		await assert.rejects(
			waitForDocuments(
				[{ documentId: 'd1', version: 1 }],
				async () => {
					throw new Error('401 Unauthorized');
				},
				{ intervalMs: 1, timeoutMs: 100, ...clock },
			),
			/401/,
		);
	});

	it('treats a deleted document as finished', async () => {
		const clock = fakeClock();
		const { fetch } = scripted({ d1: [status('d1', 'deleted', 0)] }, clock);
		const [result] = await waitForDocuments([{ documentId: 'd1', version: 2 }], fetch, {
			intervalMs: 5,
			timeoutMs: 100,
			...clock,
		});
		assert.equal(result.timedOut, false);
		assert.equal(result.status?.status, 'deleted');
	});
});
