// What the end-to-end run feeds the workflows: web pages to scrape, files for a folder and a bucket. Each carries
// a sentence that a search for its question finds, so "searchable" is checked on content, not on counts.
import http from 'node:http';

export const PAGES = {
	'/docs/boiler.html': {
		title: 'Boiler maintenance guide',
		html: `<!doctype html><html><head><title>Boiler maintenance guide</title></head><body>
<nav><a href="/">Home</a> | <a href="/docs">Docs</a></nav>
<main><h1>Boiler maintenance guide</h1>
<p>The boiler must be descaled every spring. Bleed the radiators after descaling and check that the pressure gauge
reads 1.5 bar.</p><p>Never run the burner with the flue cover closed.</p></main>
<footer>Cookie settings | Imprint</footer></body></html>`,
	},
	'/docs/heat-pump.html': {
		title: 'Heat pump FAQ',
		html: `<!doctype html><html><head><title>Heat pump FAQ</title></head><body><main><h1>Heat pump FAQ</h1>
<p>A heat pump moves warmth from the outside air into the house. It keeps working down to minus twenty degrees
Celsius, with a lower efficiency in deep frost.</p></main></body></html>`,
	},
};

export const MISSING_PAGE = '/docs/moved-away.html';

export const FOLDER_FILES = {
	'visitor-policy.txt': 'Visitor policy.\nVisitors sign in at the front desk and wear a badge at all times. '
		+ 'Badges are returned at the end of the visit.\n',
	'parking.md': '# Parking\n\nStaff park on level minus two of the garage. Electric cars charge at the '
		+ 'bays next to the lift; charging is free before 10 am.\n',
	'fire-drill.pdf': null, // made by minimalPdf below
};
export const FIRE_DRILL_TEXT = 'The fire drill takes place on the first Monday of every quarter at eleven.';

export const BUCKET_OBJECTS = {
	'reports/q3-summary.txt': 'Q3 summary. Revenue grew twelve percent, driven by heat pump sales in Scandinavia.\n',
	'reports/supplier-terms.md': '# Supplier terms\n\nInvoices are paid within thirty days of receipt; '
		+ 'late deliveries cost the supplier two percent per week.\n',
};

/** A one-page PDF with one line of text (Helvetica), offsets computed so any reader accepts it. */
export function minimalPdf(text) {
	const escaped = text.replace(/[\\()]/g, (c) => '\\' + c);
	const stream = `BT /F1 12 Tf 50 750 Td (${escaped}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> '
			+ '/Contents 4 0 R >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let pdf = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(pdf.length);
		pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = pdf.length;
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

/** Serves PAGES on 127.0.0.1 (a free port); everything else is a 404. */
export async function startPageServer() {
	const server = http.createServer((req, res) => {
		const page = PAGES[req.url];
		if (!page) {
			res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
			return;
		}
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page.html);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${server.address().port}`;
	return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}
