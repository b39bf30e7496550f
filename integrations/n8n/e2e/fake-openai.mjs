// A local server that speaks OpenAI's Chat Completions wire format, for the AI agent template (the OpenAI cloud
// cannot be reached here). It behaves like a model that always uses its search tool: the first turn calls the tool
// whose name ends in `search_documents` with the user's question; once the tool's result is in the conversation it
// answers with that result. Every request is recorded, so the run can check which tools the agent was offered and
// what the service returned through MCP.
import http from 'node:http';

export async function startFakeOpenAi() {
	const requests = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => { raw += chunk; });
		req.on('end', () => {
			let body = {};
			try {
				body = JSON.parse(raw || '{}');
			} catch {
				// not JSON: answer as if it were empty
			}
			requests.push({ path: req.url, body });
			if (!req.url.includes('/chat/completions')) {
				res.writeHead(200, { 'Content-Type': 'application/json' })
					.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-5-mini', object: 'model' }] }));
				return;
			}
			const messages = body.messages ?? [];
			const toolResult = [...messages].reverse().find((m) => m.role === 'tool');
			const question = [...messages].reverse().find((m) => m.role === 'user');
			let message;
			let finish;
			if (toolResult) {
				const text = typeof toolResult.content === 'string' ? toolResult.content : JSON.stringify(toolResult.content);
				message = { role: 'assistant', content: `From your documents: ${text.slice(0, 2000)}` };
				finish = 'stop';
			} else {
				const tool = (body.tools ?? []).map((t) => t.function.name).find((name) => name.endsWith('search_documents'));
				const query = typeof question?.content === 'string' ? question.content : 'documents';
				message = {
					role: 'assistant', content: null,
					tool_calls: [{ id: 'call_1', type: 'function',
						function: { name: tool ?? 'no_search_tool_offered', arguments: JSON.stringify({ query, top_k: 3 }) } }],
				};
				finish = 'tool_calls';
			}
			const head = { id: 'chatcmpl-e2e', created: Math.floor(Date.now() / 1000), model: body.model ?? 'gpt-5-mini' };
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (body.stream) {
				res.writeHead(200, { 'Content-Type': 'text/event-stream' });
				const delta = message.tool_calls
					? { role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }
					: { role: 'assistant', content: message.content };
				res.write(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`);
				res.write(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: finish }], usage })}\n\n`);
				res.end('data: [DONE]\n\n');
				return;
			}
			res.writeHead(200, { 'Content-Type': 'application/json' })
				.end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finish }], usage }));
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
		requests,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
