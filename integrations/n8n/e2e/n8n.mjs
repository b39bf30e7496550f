// A real n8n driven through its own CLI (import, execute, publish) and, for triggers that need a running instance
// (Webhook, Local File Trigger) and for screenshots, `n8n start`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The instance's owner account: the e2e run's own n8n, made fresh each run. */
export const OWNER = { email: 'owner@n8n-e2e.example.com', firstName: 'E2E', lastName: 'Owner', password: 'N8n-e2e-Password-1' };

export async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

export class N8n {
	/**
	 * @param binDir folder with `n8n` and `node` (scripts/ensure-n8n.sh)
	 * @param home the instance's user folder: database, encryption key, community packages (.n8n/nodes)
	 * @param filesDir the only folder its file nodes may read (N8N_RESTRICT_FILE_ACCESS_TO)
	 */
	constructor({ binDir, home, filesDir, log }) {
		this.binDir = binDir;
		this.home = home;
		this.filesDir = filesDir;
		this.log = log;
		this.env = {
			...process.env,
			PATH: `${binDir}:${process.env.PATH}`,
			N8N_USER_FOLDER: home,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_RUNNERS_ENABLED: 'false',
			N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
			// n8n 2.x leaves the Local File Trigger out unless told otherwise; keep Execute Command out
			NODES_EXCLUDE: '["n8n-nodes-base.executeCommand"]',
			N8N_SECURE_COOKIE: 'false',
			// `n8n execute --rawOutput` prints the execution through the logger at info: keep that level
			DB_SQLITE_POOL_SIZE: '2',
		};
		fs.mkdirSync(home, { recursive: true });
		fs.mkdirSync(filesDir, { recursive: true });
	}

	/**
	 * Runs an n8n CLI command. Asynchronous on purpose: this process also serves the pages that the scraping
	 * workflow makes the service fetch, so it must not block while n8n runs.
	 */
	async cli(args, { timeoutSeconds = 300 } = {}) {
		const started = Date.now();
		const child = spawn(path.join(this.binDir, 'n8n'), args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
		child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
		const status = await new Promise((resolve, reject) => {
			child.once('error', reject);
			child.once('close', (code, signal) => resolve(code ?? `signal ${signal}`));
		}).finally(() => clearTimeout(timer));
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		fs.appendFileSync(this.log, `\n$ n8n ${args.join(' ')}  (${seconds} s, exit ${status})\n${stdout}${stderr}`);
		return { status, stdout, stderr, seconds };
	}

	async expectOk(args, what) {
		const result = await this.cli(args);
		if (result.status !== 0) {
			throw new Error(`${what} failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().slice(-600)}`);
		}
		return result;
	}

	/** Installs a community node package from a tarball the way n8n's own installer lays it out. */
	installCommunityPackage(tarball) {
		const nodesDir = path.join(this.home, '.n8n', 'nodes');
		fs.mkdirSync(nodesDir, { recursive: true });
		if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
			fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		}
		const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--omit=peer', '--ignore-scripts',
			'--loglevel=error', tarball], { cwd: nodesDir, encoding: 'utf8', env: this.env, timeout: 300_000 });
		fs.appendFileSync(this.log, `\n$ npm install ${tarball} (in ${nodesDir}): exit ${npm.status}\n${npm.stdout}${npm.stderr}`);
		if (npm.status !== 0) throw new Error(`npm install of ${tarball} failed: ${npm.stderr.slice(-600)}`);
	}

	async importCredentials(credentials, file) {
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.expectOk(['import:credentials', `--input=${file}`], 'import:credentials');
	}

	async importWorkflow(workflow, file) {
		fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
		await this.expectOk(['import:workflow', `--input=${file}`], `import:workflow ${workflow.name}`);
	}

	/** `n8n execute --id`: the run's status, error and every node's output items. */
	async execute(id) {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput'], { timeoutSeconds: 900 });
		const text = result.stdout;
		// the execution is printed as indented JSON from a line `{` to a line `}`; log lines may follow it
		const start = text.search(/^\{/m);
		const end = start < 0 ? -1 : text.indexOf('\n}', start);
		if (start < 0 || end < 0) {
			return { status: 'no-output', exitCode: result.status, error: (result.stderr || text).trim().slice(-800), nodes: {} };
		}
		const execution = JSON.parse(text.slice(start, end + 2));
		const runData = execution.data?.resultData?.runData ?? {};
		const nodes = {};
		for (const [name, runs] of Object.entries(runData)) {
			// every run of the node (a loop runs it several times), per output, the items' json
			nodes[name] = {
				runs: runs.length,
				outputs: runs.map((run) => (run.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json))),
				error: runs.find((run) => run.error)?.error?.message,
			};
		}
		return {
			status: execution.status,
			exitCode: result.status,
			error: execution.data?.resultData?.error?.message,
			seconds: result.seconds,
			nodes,
		};
	}

	async publish(id) {
		await this.expectOk(['publish:workflow', `--id=${id}`], `publish:workflow ${id}`);
	}

	/** `n8n start` on a free port; resolves once the editor answers. */
	async start() {
		const port = await freePort();
		const brokerPort = await freePort();
		const out = fs.openSync(this.log, 'a');
		this.server = spawn(path.join(this.binDir, 'n8n'), ['start'], {
			env: {
				...this.env,
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: '127.0.0.1',
				WEBHOOK_URL: `http://127.0.0.1:${port}/`,
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				N8N_LOG_LEVEL: 'info',
			},
			stdio: ['ignore', out, out],
			detached: true,
		});
		this.baseUrl = `http://127.0.0.1:${port}`;
		const until = Date.now() + 180_000;
		for (;;) {
			if (this.server.exitCode !== null) throw new Error(`n8n start exited with ${this.server.exitCode} (log: ${this.log})`);
			try {
				const response = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (response.ok) return this.baseUrl;
			} catch {
				// not listening yet
			}
			if (Date.now() > until) throw new Error(`n8n did not become ready within 180 s (log: ${this.log})`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	}

	/** Sets up the owner account (or logs in when it exists) on the running instance: its session cookie. */
	async ownerSession() {
		const post = (path, body) => fetch(`${this.baseUrl}${path}`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		let answer = await post('/rest/owner/setup', OWNER);
		if (!answer.ok) answer = await post('/rest/login', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
		if (!answer.ok) throw new Error(`n8n owner setup / login answered ${answer.status}: ${await answer.text()}`);
		return answer.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
	}

	/** What the editor's "Test" button of a credential does: n8n runs the credential type's test request. */
	async testCredential(cookie, credentials) {
		const answer = await fetch(`${this.baseUrl}/rest/credentials/test`, {
			method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie },
			body: JSON.stringify({ credentials }), signal: AbortSignal.timeout(60_000),
		});
		const body = await answer.json().catch(() => ({}));
		return body.data ?? { status: `HTTP ${answer.status}`, message: JSON.stringify(body).slice(0, 200) };
	}

	async stop() {
		if (!this.server || this.server.exitCode !== null) return;
		const exited = new Promise((resolve) => this.server.once('exit', resolve));
		try {
			process.kill(-this.server.pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-this.server.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}, 30_000);
		await exited;
		clearTimeout(timer);
	}
}
