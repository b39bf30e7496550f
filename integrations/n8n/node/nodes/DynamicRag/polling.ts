/**
 * "Wait for Completion": polls documents' status until each is finished or the time is up. The clock and the
 * sleep are passed in, so tests run it on a fake clock (see test/polling.test.ts).
 */
import type { IDataObject } from 'n8n-workflow';

/** A document's status (`GET /api/documents/{id}/status`). */
export interface DocumentStatus extends IDataObject {
	document_id: string;
	status: string;
	version: number;
}

/** Statuses after which nothing changes any more without a new request. */
export const FINAL_STATUSES = ['completed', 'failed', 'deleted'];

export interface WaitTarget {
	documentId: string;
	/** The version the ingestion answer named: an older version's status does not count. */
	version: number;
	/** The `status_url` of the answer, when it gave one. */
	statusUrl?: string;
	/**
	 * Check at once instead of after the first interval: for a `duplicate` answer (nothing new was submitted;
	 * the document's status is its current one, usually already final).
	 */
	checkNow?: boolean;
}

/** What one status request found. */
export type StatusProbe =
	| { kind: 'status'; status: DocumentStatus }
	/** 404: not visible yet (the read model lags a moment behind an answer) or gone. */
	| { kind: 'notFound' }
	/** 429: the status endpoint's rate limit; wait `retryAfterMs` (when the service said) before the next round. */
	| { kind: 'rateLimited'; retryAfterMs?: number };

export type StatusFetcher = (target: WaitTarget) => Promise<StatusProbe>;

export interface PollSettings {
	intervalMs: number;
	timeoutMs: number;
	sleep: (ms: number) => Promise<void>;
	now: () => number;
}

export interface WaitResult {
	target: WaitTarget;
	/** The final status, or when timed out the last one seen. */
	status?: DocumentStatus;
	timedOut: boolean;
}

export function isFinished(status: DocumentStatus, target: WaitTarget): boolean {
	if (!FINAL_STATUSES.includes(status.status)) return false;
	if (status.status === 'deleted') return true;
	return typeof status.version !== 'number' || status.version >= target.version;
}

/**
 * Polls every pending target once per round, rounds `intervalMs` apart (longer when the service answered 429 with
 * Retry-After), until every target has a final status for its version or `timeoutMs` has passed since the start;
 * one last round runs at the deadline. Errors of the fetcher other than 404 / 429 end the wait (they propagate).
 */
export async function waitForDocuments(
	targets: WaitTarget[],
	fetchStatus: StatusFetcher,
	settings: PollSettings,
): Promise<WaitResult[]> {
	const results = new Map<WaitTarget, WaitResult>();
	for (const target of targets) results.set(target, { target, timedOut: false });
	let pending = [...targets];
	const deadline = settings.now() + Math.max(0, settings.timeoutMs);
	const interval = Math.max(0, settings.intervalMs);

	for (let round = 0; pending.length > 0; round++) {
		let wait = interval;
		const due = round === 0 ? pending.filter((t) => t.checkNow === true) : pending;
		const finished = new Set<WaitTarget>();
		for (const target of due) {
			const probe = await fetchStatus(target);
			if (probe.kind === 'rateLimited') {
				wait = Math.max(interval, probe.retryAfterMs ?? interval);
				break;
			}
			if (probe.kind === 'status') {
				const result = results.get(target) as WaitResult;
				result.status = probe.status;
				if (isFinished(probe.status, target)) finished.add(target);
			}
		}
		pending = pending.filter((t) => !finished.has(t));
		if (pending.length === 0) break;
		const remaining = deadline - settings.now();
		if (remaining <= 0 && round > 0) break;
		await settings.sleep(Math.min(wait, Math.max(0, remaining)));
	}
	for (const target of pending) (results.get(target) as WaitResult).timedOut = true;
	return targets.map((t) => results.get(t) as WaitResult);
}
