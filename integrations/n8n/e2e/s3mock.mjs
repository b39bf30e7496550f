// An S3-compatible server for the bucket template: S3Mock's exec jar (the one the project's own tests use).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './n8n.mjs';

export async function startS3Mock({ jar, workDir, log }) {
	const httpPort = await freePort();
	const httpsPort = await freePort();
	const out = fs.openSync(log, 'a');
	const child = spawn('java', ['-Xmx384m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', jar,
		`--http.port=${httpPort}`, `--server.port=${httpsPort}`,
		`--com.adobe.testing.s3mock.store.root=${path.join(workDir, 's3mock')}`,
		'--com.adobe.testing.s3mock.store.retainFilesOnExit=false', '--spring.main.banner-mode=off'],
	{ stdio: ['ignore', out, out], detached: true });
	const endpoint = `http://127.0.0.1:${httpPort}`;
	const stop = async () => {
		if (child.exitCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		process.kill(-child.pid, 'SIGTERM');
		await exited;
	};
	const until = Date.now() + 120_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`S3Mock exited with ${child.exitCode} (log: ${log})`);
		try {
			const response = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(2000) });
			if (response.ok) break;
		} catch {
			// starting
		}
		if (Date.now() > until) {
			await stop();
			throw new Error(`S3Mock did not answer within 120 s (log: ${log})`);
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	// S3Mock does not check signatures: plain path-style requests create the bucket and its objects
	const put = async (urlPath, body, contentType) => {
		const response = await fetch(endpoint + urlPath, {
			method: 'PUT',
			body,
			headers: contentType ? { 'Content-Type': contentType } : {},
		});
		if (!response.ok) throw new Error(`S3Mock PUT ${urlPath}: ${response.status} ${await response.text()}`);
	};
	return {
		endpoint,
		stop,
		createBucket: (bucket) => put(`/${bucket}`),
		putObject: (bucket, key, body, contentType) => put(`/${bucket}/${key}`, body, contentType),
	};
}
