// A proxy in front of the service that loses the first answer to every ingestion request: the service does the
// work, n8n gets a 502, as when a load balancer times out. n8n's Retry On Fail then sends the request again; with
// the same Idempotency-Key the service replays its first answer (Idempotent-Replayed: true) instead of doing the
// work twice. The proxy records what it saw so the run can check exactly that.
import http from 'node:http';

const INGESTION = /^\/api\/(ingest\/|documents\/[^/]+$)/;

export async function startLossyProxy(target) {
	const upstream = new URL(target);
	const byKey = new Map(); // Idempotency-Key -> { path, attempts, replayed }
	const withoutKey = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const key = req.headers['idempotency-key'];
			const lossy = req.method !== 'GET' && INGESTION.test(req.url.split('?')[0]);
			let record;
			if (lossy && key) {
				record = byKey.get(key) ?? { path: req.url, attempts: 0, replayed: 0 };
				record.attempts += 1;
				byKey.set(key, record);
			} else if (lossy) {
				withoutKey.push(`${req.method} ${req.url}`);
			}
			const headers = { ...req.headers, host: upstream.host };
			const forward = http.request({
				hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers,
			}, (answer) => {
				const answerChunks = [];
				answer.on('data', (chunk) => answerChunks.push(chunk));
				answer.on('end', () => {
					if (record && answer.headers['idempotent-replayed'] === 'true') record.replayed += 1;
					if (record && record.attempts === 1) {
						// the service did the work; its answer is lost on the way back
						res.writeHead(502, { 'Content-Type': 'text/plain' }).end('answer lost by the e2e proxy');
						return;
					}
					res.writeHead(answer.statusCode, answer.headers).end(Buffer.concat(answerChunks));
				});
			});
			forward.on('error', (error) => res.writeHead(502).end(String(error)));
			forward.end(body);
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		base: `http://127.0.0.1:${server.address().port}`,
		/** What happened to ingestion requests since the last call (then forgotten). */
		take() {
			const seen = { keys: [...byKey.values()], withoutKey: [...withoutKey] };
			byKey.clear();
			withoutKey.length = 0;
			return seen;
		},
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
