#!/usr/bin/env node
// The n8n end-to-end run (scripts/e2e-n8n.sh starts the service and calls this): every template in
// integrations/n8n/templates is imported into a real n8n, run, and checked in the service through its API.
// Each workflow runs for a tenant of its own, so its checks see exactly what that workflow sent.
//
// Environment (set by scripts/e2e-n8n.sh): APP_BASE_URL (the service), N8N_BIN_DIR (n8n and node),
// N8N_NODE_TARBALL (the community node package), S3MOCK_JAR, E2E_WORK (a scratch folder), E2E_LOG_DIR,
// E2E_SCREENSHOT_DIR (empty: no screenshots), PLAYWRIGHT_CORE (path of playwright-core), CHROMIUM.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	BUCKET_OBJECTS, FIRE_DRILL_TEXT, FOLDER_FILES, MISSING_PAGE, PAGES, minimalPdf, startPageServer,
} from './fixtures.mjs';
import { N8n } from './n8n.mjs';
import { startFakeOpenAi } from './fake-openai.mjs';
import { startLossyProxy } from './lossy-proxy.mjs';
import { startS3Mock } from './s3mock.mjs';
import { Service } from './service.mjs';
import { screenshotWorkflows } from './screenshots.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEMPLATES = path.resolve(here, '..', 'templates');
const need = (name) => {
	const value = process.env[name];
	if (!value) throw new Error(`${name} is not set (run scripts/e2e-n8n.sh)`);
	return value;
};
const WORK = need('E2E_WORK');
const LOGS = need('E2E_LOG_DIR');
const service = new Service(need('APP_BASE_URL'));
const CREDENTIAL_IDS = {
	headerAuth: 'dynRagHeaderAuth01',
	ragApi: 'dynRagApi01',
	s3: 'dynRagS3Source01',
	openAi: 'dynRagOpenAi01',
};

const results = [];
const imported = new Set();
let current;
function check(ok, what, detail = '') {
	current.checks.push({ ok: Boolean(ok), what, detail });
	console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
	return Boolean(ok);
}
function section(workflow) {
	current = { workflow, checks: [], note: '' };
	results.push(current);
	console.log(`\n== ${workflow}`);
}

function template(file) {
	return JSON.parse(fs.readFileSync(path.join(TEMPLATES, file), 'utf8'));
}

/** The user's edits: the Settings node's values by name (what the README tells a user to change), and an id. */
function customise(workflow, id, settings) {
	const copy = structuredClone(workflow);
	copy.id = id;
	imported.add(id);
	const node = copy.nodes.find((n) => n.name === 'Settings');
	if (!node) throw new Error(`${workflow.name}: no "Settings" node`);
	const assignments = node.parameters.assignments.assignments;
	for (const [name, value] of Object.entries(settings)) {
		const assignment = assignments.find((a) => a.name === name);
		if (!assignment) throw new Error(`${workflow.name}: Settings has no "${name}"`);
		assignment.value = typeof value === 'string' ? value : JSON.stringify(value);
	}
	return copy;
}

function credentialsFor(key, s3, baseUrl = service.baseUrl, openAiUrl = 'https://api.openai.com/v1') {
	return [
		{ id: CREDENTIAL_IDS.headerAuth, name: 'Dynamic RAG API key', type: 'httpHeaderAuth',
			data: { name: 'X-API-Key', value: key } },
		{ id: CREDENTIAL_IDS.ragApi, name: 'Dynamic RAG account', type: 'dynamicRagApi',
			data: { baseUrl, apiKey: key } },
		{ id: CREDENTIAL_IDS.s3, name: 'S3 source bucket', type: 's3',
			data: { endpoint: s3.endpoint, region: 'us-east-1', accessKeyId: 'e2e', secretAccessKey: 'e2e-secret',
				forcePathStyle: true, ignoreSSLIssues: false } },
		{ id: CREDENTIAL_IDS.openAi, name: 'OpenAI account', type: 'openAiApi',
			data: { apiKey: 'sk-e2e-not-a-real-key', url: openAiUrl } },
	];
}

function itemsOf(run, nodeName, output = 0) {
	const node = run.nodes[nodeName];
	if (!node) return [];
	return node.outputs.flatMap((outputs) => outputs[output] ?? []);
}

function describeRun(run) {
	const failures = itemsOf(run, 'Report failures').map((item) => item.problem).filter(Boolean);
	return `status ${run.status}${run.error ? `: ${run.error}` : ''}${failures.length ? `; failures: ${failures.join(' | ').slice(0, 300)}` : ''}`;
}

/**
 * The lossy proxy dropped the first answer to each ingestion request: n8n must have retried every one with the same
 * Idempotency-Key, and the service must have replayed its first answer rather than run the request again.
 */
function checkRetriesReplayed(seen, expectedRequests) {
	check(seen.withoutKey.length === 0, 'every ingestion request carries an Idempotency-Key', seen.withoutKey.join(', '));
	check(seen.keys.length === expectedRequests, `${expectedRequests} distinct Idempotency-Key(s) sent`, `${seen.keys.length}`);
	const retried = seen.keys.filter((k) => k.attempts >= 2 && k.replayed >= 1);
	check(seen.keys.length > 0 && retried.length === seen.keys.length,
		'each lost answer was retried by n8n with the same key and replayed by the service',
		seen.keys.map((k) => `${k.path}: ${k.attempts} attempts, ${k.replayed} replayed`).join('; ').slice(0, 400));
}

/**
 * An ingestion template: run once, check the documents arrived once, completed and are searchable; run again and
 * check that nothing new was made (no second document, no second version).
 */
async function ingestionTemplate({ file, id, settings, expectDocuments, expectFailures = 0, questions, s3, n8n, proxy }) {
	const workflow = template(file);
	section(`${file} (${workflow.name})`);
	const key = await service.signUp(id);
	await n8n.importCredentials(credentialsFor(key, s3), path.join(WORK, `${id}-credentials.json`));
	await n8n.importWorkflow(customise(workflow, id, settings), path.join(WORK, `${id}.json`));
	check(true, 'imported');

	proxy.take();
	const first = await n8n.execute(id);
	check(first.status === 'success', 'first run succeeds', `${describeRun(first)}, ${first.seconds} s`);
	checkRetriesReplayed(proxy.take(), expectDocuments + expectFailures);
	check(itemsOf(first, 'Report failures').length === expectFailures,
		`${expectFailures} item(s) reported as failed`, `got ${itemsOf(first, 'Report failures').length}`);
	check(itemsOf(first, 'Indexed').length === expectDocuments, `${expectDocuments} item(s) reported as indexed`,
		`got ${itemsOf(first, 'Indexed').length}`);

	const docs = await service.settled(key);
	check(docs.length === expectDocuments, `the service holds ${expectDocuments} document(s)`, `has ${docs.length}`);
	check(docs.every((d) => d.status === 'completed'), 'all completed',
		docs.filter((d) => d.status !== 'completed').map((d) => `${d.title}: ${d.status} ${d.error_message ?? ''}`).join('; '));
	for (const { question, expect } of questions) {
		const hits = await service.search(key, question, 3);
		const top = hits[0];
		check(top && (top.text.includes(expect) || top.title === expect), `searchable: "${question}"`,
			top ? `top hit "${top.title}": ${top.text.slice(0, 80)}` : 'no hits');
	}

	const second = await n8n.execute(id);
	check(second.status === 'success', 're-run succeeds', describeRun(second));
	proxy.take();
	const again = await service.settled(key);
	check(again.length === docs.length, 're-run makes no new document', `${docs.length} -> ${again.length}`);
	const versionCounts = await Promise.all(again.map((d) => service.versions(key, d.id).then((v) => v.length)));
	check(versionCounts.every((n) => n === 1), 're-run makes no new version', `versions per document: ${versionCounts.join(', ')}`);
	return { key, id };
}

async function main() {
	const started = Date.now();
	fs.mkdirSync(WORK, { recursive: true });
	fs.mkdirSync(LOGS, { recursive: true });
	const n8nLog = path.join(LOGS, 'n8n.log');
	fs.writeFileSync(n8nLog, '');
	const filesDir = path.join(WORK, 'n8n-files');
	const n8n = new N8n({ binDir: need('N8N_BIN_DIR'), home: path.join(WORK, 'n8n-home'), filesDir, log: n8nLog });
	const version = (await n8n.expectOk(['--version'], 'n8n --version')).stdout.trim();
	console.log(`n8n ${version}, service ${service.baseUrl}, work folder ${WORK}`);

	const pages = await startPageServer();
	const proxy = await startLossyProxy(service.baseUrl);
	let folder;
	const s3 = await startS3Mock({ jar: need('S3MOCK_JAR'), workDir: WORK, log: path.join(LOGS, 's3mock.log') });
	try {
		section('community node package n8n-nodes-dynamic-rag');
		n8n.installCommunityPackage(need('N8N_NODE_TARBALL'));
		const nodeTypes = path.join(WORK, 'node-types.json');
		await n8n.expectOk(['export:nodes', `--output=${nodeTypes}`], 'export:nodes');
		const types = JSON.parse(fs.readFileSync(nodeTypes, 'utf8')).map((t) => t.name);
		check(types.includes('n8n-nodes-dynamic-rag.dynamicRag'), 'n8n loads the node n8n-nodes-dynamic-rag.dynamicRag',
			`${types.length} node types`);

		const inbox = path.join(filesDir, 'rag-inbox');
		fs.mkdirSync(inbox, { recursive: true });
		for (const [name, content] of Object.entries(FOLDER_FILES)) {
			fs.writeFileSync(path.join(inbox, name), content ?? minimalPdf(FIRE_DRILL_TEXT));
		}
		await s3.createBucket('customer-docs');
		for (const [key, content] of Object.entries(BUCKET_OBJECTS)) {
			await s3.putObject('customer-docs', key, content, key.endsWith('.md') ? 'text/markdown' : 'text/plain');
		}
		await s3.putObject('customer-docs', 'other/not-this-prefix.txt', 'Outside the prefix.', 'text/plain');

		const steps = [
			['01', () => ingestionTemplate({
				file: '01-scheduled-web-scraping.json', id: 'e2eScrape01', n8n, s3, proxy,
				settings: { rag_base_url: proxy.base,
					urls: [...Object.keys(PAGES), MISSING_PAGE].map((p) => pages.base + p) },
				expectDocuments: Object.keys(PAGES).length, expectFailures: 1,
				questions: [{ question: 'How often does the boiler need descaling?', expect: 'descaled every spring' }],
			})],
			['02', () => importOnly(n8n, '02-google-drive-to-rag.json', 'e2eDrive01',
				'not run: it needs a Google account (its upload part is the one the local and S3 variants run)')],
			['03', async () => {
				folder = await ingestionTemplate({
					file: '03-local-folder-to-rag.json', id: 'e2eFolder01', n8n, s3, proxy,
					settings: { rag_base_url: proxy.base, watch_folder: inbox },
					expectDocuments: Object.keys(FOLDER_FILES).length,
					questions: [
						{ question: 'Where do staff park their cars?', expect: 'level minus two' },
						{ question: 'When is the fire drill?', expect: 'first Monday' },
					],
				});
			}],
			['04', () => ingestionTemplate({
				file: '04-s3-bucket-to-rag.json', id: 'e2eBucket01', n8n, s3, proxy,
				settings: { rag_base_url: proxy.base, s3_bucket: 'customer-docs', s3_prefix: 'reports/' },
				expectDocuments: Object.keys(BUCKET_OBJECTS).length,
				questions: [{ question: 'When are supplier invoices paid?', expect: 'thirty days' }],
			})],
			['05', () => searchTemplate({ n8n, s3, folder })],
			['06', () => communityNodeTemplate({ n8n, s3, proxy })],
			['07', () => agentTemplate({ n8n, s3, folder })],
			['live', () => liveTriggers({ n8n, folder, inbox })],
		];
		// E2E_ONLY=01,06 runs only those steps (the others' results are then missing from the report, not passed)
		const only = process.env.E2E_ONLY ? process.env.E2E_ONLY.split(',') : undefined;
		for (const [label, step] of steps) {
			if (only && !only.includes(label)) continue;
			const sectionsBefore = results.length;
			try {
				await step();
			} catch (error) {
				if (results.length === sectionsBefore) section(`step ${label}`);
				check(false, 'the workflow ran to its checks', error.stack ?? String(error));
			}
		}
	} catch (error) {
		if (!current) section('setup');
		check(false, 'the run went on', error.stack ?? String(error));
	} finally {
		await n8n.stop();
		await s3.stop();
		await pages.close();
		await proxy.close();
	}
	return report(started);
}

async function importOnly(n8n, file, id, note) {
	section(file);
	await n8n.importWorkflow(customise(template(file), id, { rag_base_url: service.baseUrl }), path.join(WORK, `${id}.json`));
	check(true, 'imported');
	current.note = note;
	console.log(`  note ${note}`);
}

/** The search template: its manual path (HTTP search and the MCP Client node) with the CLI. */
async function searchTemplate({ n8n, s3, folder }) {
	if (!folder) throw new Error('needs the documents of the local folder template, which did not run');
	const file = '05-search-webhook.json';
	const workflow = template(file);
	section(`${file} (${workflow.name})`);
	// it searches the folder tenant's documents
	await n8n.importCredentials(credentialsFor(folder.key, s3), path.join(WORK, 'search-credentials.json'));
	await n8n.importWorkflow(customise(workflow, 'e2eSearch01', {
		rag_base_url: service.baseUrl, sample_question: 'Where do staff park their cars?',
	}), path.join(WORK, 'e2eSearch01.json'));
	check(true, 'imported');
	const run = await n8n.execute('e2eSearch01');
	check(run.status === 'success', 'manual run succeeds', describeRun(run));
	const searchNodes = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.httpRequest'
		&& String(n.parameters.url ?? '').includes('/search'));
	for (const node of searchNodes) {
		const out = JSON.stringify(itemsOf(run, node.name));
		check(out.includes('level minus two'), `"${node.name}" returns the parking passage`, out.slice(0, 160));
	}
	const mcpNodes = workflow.nodes.filter((n) => n.type === '@n8n/n8n-nodes-langchain.mcpClient');
	check(mcpNodes.length > 0, 'has an MCP Client node');
	for (const node of mcpNodes) {
		const out = JSON.stringify(itemsOf(run, node.name));
		check(out.includes('level minus two'), `"${node.name}" (MCP over /mcp) returns the parking passage`, out.slice(0, 160));
	}
}

/** The community node template: ingest with "wait for completion", then search, through the package's node. */
async function communityNodeTemplate({ n8n, s3, proxy }) {
	const file = '06-community-node-ingest-and-search.json';
	const workflow = template(file);
	section(`${file} (${workflow.name})`);
	const key = await service.signUp('e2eNode01');
	await n8n.importCredentials(credentialsFor(key, s3, proxy.base), path.join(WORK, 'node-credentials.json'));
	await n8n.importWorkflow(customise(workflow, 'e2eNode01', {}), path.join(WORK, 'e2eNode01.json'));
	check(true, 'imported');
	proxy.take();
	const first = await n8n.execute('e2eNode01');
	check(first.status === 'success', 'first run succeeds', describeRun(first));
	checkRetriesReplayed(proxy.take(), 1);
	const ingested = itemsOf(first, 'Ingest note');
	check(ingested.length === 1 && ingested[0].status === 'completed', 'the node waited until the note was completed',
		JSON.stringify(ingested).slice(0, 200));
	const hits = JSON.stringify(itemsOf(first, 'Search notes'));
	check(hits.includes('second Thursday of January'), 'the node\'s search finds it', hits.slice(0, 160));
	const second = await n8n.execute('e2eNode01');
	check(second.status === 'success', 're-run succeeds', describeRun(second));
	const docs = await service.settled(key);
	check(docs.length === 1, 're-run makes no new document', `${docs.length} document(s)`);
	const versions = docs.length ? await service.versions(key, docs[0].id) : [];
	check(versions.length === 1, 're-run makes no new version', `${versions.length} version(s)`);
}

/**
 * The AI agent template: its agent, given the service's MCP tools through the MCP Client Tool, with a local
 * stand-in for OpenAI's chat API that always calls search_documents.
 */
async function agentTemplate({ n8n, s3, folder }) {
	if (!folder) throw new Error('needs the documents of the local folder template, which did not run');
	const file = '07-ai-agent-with-mcp.json';
	const workflow = template(file);
	section(`${file} (${workflow.name})`);
	const openAi = await startFakeOpenAi();
	try {
		await n8n.importCredentials(credentialsFor(folder.key, s3, service.baseUrl, openAi.baseUrl),
			path.join(WORK, 'agent-credentials.json'));
		await n8n.importWorkflow(customise(workflow, 'e2eAgent01', {
			rag_base_url: service.baseUrl, sample_question: 'Where do staff park their cars?',
		}), path.join(WORK, 'e2eAgent01.json'));
		check(true, 'imported');
		const run = await n8n.execute('e2eAgent01');
		check(run.status === 'success', 'manual run succeeds (chat model: a local OpenAI stand-in)',
			`${describeRun(run)}; model calls: ${openAi.requests.map((r) => `${r.path} (${(r.body.messages ?? []).map((m) => m.role).join('>')})`).join(', ')}`);
		const offered = openAi.requests.flatMap((r) => (r.body.tools ?? []).map((t) => t.function.name));
		check(['search_documents', 'search_catalog', 'list_documents', 'get_document', 'get_document_versions']
			.every((tool) => offered.some((name) => name.endsWith(tool))), 'the agent is offered the service\'s five MCP tools',
		[...new Set(offered)].join(', '));
		const toolTurn = openAi.requests.flatMap((r) => r.body.messages ?? []).find((m) => m.role === 'tool');
		check(toolTurn && JSON.stringify(toolTurn.content).includes('level minus two'),
			'its search_documents call went over MCP to the service and found the parking passage',
			JSON.stringify(toolTurn?.content ?? '').slice(0, 160));
		const answer = JSON.stringify(itemsOf(run, 'AI Agent'));
		check(answer.includes('level minus two'), 'the agent\'s answer carries it', answer.slice(0, 160));
	} finally {
		await openAi.close();
	}
}

/** Triggers that only fire in a running n8n: the search webhook and the Local File Trigger. */
async function liveTriggers({ n8n, folder, inbox }) {
	section('live n8n (n8n start): search webhook, local folder trigger, credential test, screenshots');
	if (!folder) throw new Error('needs the local folder template, which did not run');
	await n8n.publish('e2eSearch01');
	await n8n.publish('e2eFolder01');
	const base = await n8n.start();
	check(true, `n8n started at ${base}`);
	// n8n activates published workflows after its editor is up: until then their webhooks answer 404
	let response;
	let answer;
	const activeBy = Date.now() + 120_000;
	do {
		if (response) await new Promise((resolve) => setTimeout(resolve, 1000));
		response = await fetch(`${base}/webhook/rag-search`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ question: 'How do visitors get a badge?', top_k: 3 }),
			signal: AbortSignal.timeout(60_000),
		});
		answer = await response.text();
	} while (response.status === 404 && Date.now() < activeBy);
	check(response.ok && answer.includes('front desk'), 'POST /webhook/rag-search answers with the visitor policy',
		`${response.status}: ${answer.slice(0, 200)}`);

	const cookie = await n8n.ownerSession();
	const credential = (apiKey) => ({ id: CREDENTIAL_IDS.ragApi, name: 'Dynamic RAG account', type: 'dynamicRagApi',
		data: { baseUrl: service.baseUrl, apiKey } });
	const good = await n8n.testCredential(cookie, credential(folder.key));
	check(good.status === 'OK', 'the node\'s credential test (GET /api/auth/me) accepts a valid key', JSON.stringify(good));
	const bad = await n8n.testCredential(cookie, credential('drag_not-a-key'));
	check(bad.status === 'Error', 'and refuses a wrong one', JSON.stringify(bad));

	const before = (await service.documents(folder.key)).length;
	// the watcher needs a moment after activation before it sees new files
	await new Promise((resolve) => setTimeout(resolve, 3000));
	fs.writeFileSync(path.join(inbox, 'canteen.txt'), 'Canteen hours.\nThe canteen serves lunch from half past eleven until two.\n');
	const until = Date.now() + 120_000;
	let docs = [];
	while (Date.now() < until) {
		docs = await service.documents(folder.key);
		if (docs.length > before && docs.every((d) => d.status !== 'processing')) break;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	const canteen = docs.find((d) => (d.title ?? '').includes('canteen') || (d.external_id ?? '').includes('canteen'));
	check(canteen && canteen.status === 'completed', 'a file dropped into the watched folder is ingested and completed',
		canteen ? `${canteen.title}: ${canteen.status}` : `${docs.length - before} new document(s)`);

	const shots = process.env.E2E_SCREENSHOT_DIR;
	if (shots) {
		const wanted = [
			['e2eScrape01', '01-scheduled-web-scraping.png'],
			['e2eDrive01', '02-google-drive-to-rag.png'],
			['e2eFolder01', '03-local-folder-to-rag.png'],
			['e2eBucket01', '04-s3-bucket-to-rag.png'],
			['e2eSearch01', '05-search-webhook.png'],
			['e2eNode01', '06-community-node-ingest-and-search.png'],
			['e2eAgent01', '07-ai-agent-with-mcp.png'],
		].filter(([id]) => imported.has(id));
		const taken = await screenshotWorkflows({
			baseUrl: base, outDir: shots, playwrightCore: need('PLAYWRIGHT_CORE'), chromium: need('CHROMIUM'), workflows: wanted,
		});
		check(taken.length === wanted.length, 'screenshots of the workflows in the n8n editor', taken.join(', '));
	}
}

function report(started) {
	const seconds = Math.round((Date.now() - started) / 1000);
	console.log(`\n${'workflow'.padEnd(70)} result`);
	let failed = 0;
	for (const { workflow, checks, note } of results) {
		const bad = checks.filter((c) => !c.ok);
		failed += bad.length;
		const verdict = bad.length ? `FAIL (${bad.map((c) => c.what).join('; ')})` : `pass (${checks.length} checks)`;
		console.log(`${workflow.padEnd(70)} ${verdict}${note ? ` - ${note}` : ''}`);
	}
	console.log(`\n${failed ? `${failed} check(s) failed` : 'all passed'} in ${seconds} s; n8n log: ${path.join(LOGS, 'n8n.log')}`);
	return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (error) => {
	console.error(error);
	process.exit(1);
});
