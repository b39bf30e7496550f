// The Dynamic RAG service as the checks see it: its public REST API, nothing else.

export class Service {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
	}

	async call(path, { method = 'GET', key, body, headers = {} } = {}) {
		const response = await fetch(this.baseUrl + path, {
			method,
			headers: {
				...(key ? { 'X-API-Key': key } : {}),
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				...headers,
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(30_000),
		});
		const text = await response.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!response.ok) {
			throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
		}
		return json;
	}

	/** A new tenant of its own: its API key. */
	async signUp(label) {
		const unique = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
		const answer = await this.call('/api/auth/signup', {
			method: 'POST',
			body: { email: `${unique}@n8n-e2e.example.com`, password: 'n8n-e2e-password-123', company_name: unique },
		});
		return answer.api_key;
	}

	async documents(key) {
		const all = [];
		for (let page = 1; ; page++) {
			const answer = await this.call(`/api/documents?page=${page}&size=100`, { key });
			all.push(...answer.documents);
			if (all.length >= answer.total || answer.documents.length === 0) return all;
		}
	}

	async versions(key, documentId) {
		return (await this.call(`/api/documents/${documentId}/versions`, { key })).versions;
	}

	async search(key, query, topK = 5) {
		return (await this.call('/search', { method: 'POST', key, body: { query, top_k: topK } })).results;
	}

	/** Waits until no document of the tenant is processing any more (or the time is up); returns them. */
	async settled(key, { seconds = 180 } = {}) {
		const until = Date.now() + seconds * 1000;
		for (;;) {
			const docs = await this.documents(key);
			if (docs.every((d) => d.status !== 'processing') || Date.now() > until) return docs;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}
}
