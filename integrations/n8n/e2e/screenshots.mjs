// Screenshots of imported workflows as n8n's own editor draws them, in Debian's Chromium through playwright-core
// (the dashboard's e2e tests use the same pair; no browser download).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { OWNER } from './n8n.mjs';

export async function screenshotWorkflows({ baseUrl, outDir, playwrightCore, chromium, workflows }) {
	const { chromium: launcher } = createRequire(import.meta.url)(playwrightCore);
	fs.mkdirSync(outDir, { recursive: true });
	const browser = await launcher.launch({
		executablePath: chromium,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync'],
	});
	const taken = [];
	try {
		const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
		// the owner account, then its session cookie lives in this browser context
		const setup = await context.request.post(`${baseUrl}/rest/owner/setup`, { data: OWNER });
		if (!setup.ok()) {
			const login = await context.request.post(`${baseUrl}/rest/login`,
				{ data: { emailOrLdapLoginId: OWNER.email, password: OWNER.password } });
			if (!login.ok()) throw new Error(`n8n owner setup ${setup.status()} and login ${login.status()}: ${await login.text()}`);
		}
		const page = await context.newPage();
		for (const [id, file] of workflows) {
			await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
			await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 60_000 });
			await page.waitForTimeout(1500);
			// dismiss whatever the editor greets a new user with, then fit the workflow to the window
			await page.keyboard.press('Escape');
			await page.locator('[data-test-id="canvas-wrapper"], .vue-flow').first().click({ position: { x: 5, y: 5 } })
				.catch(() => {});
			await page.keyboard.press('Shift+1').catch(() => {});
			await page.keyboard.press('1').catch(() => {});
			await page.waitForTimeout(800);
			const target = path.join(outDir, file);
			await page.screenshot({ path: target });
			taken.push(file);
		}
	} finally {
		await browser.close();
	}
	return taken;
}
