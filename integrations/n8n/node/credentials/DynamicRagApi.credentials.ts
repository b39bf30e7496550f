import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * A Dynamic RAG API key (`drag_...`, shown once at sign-up or rotation) and the service's base URL. Every request
 * carries the key as `X-API-Key`; the test asks `GET /api/auth/me`, which answers 200 with the account for a
 * valid key and 401 otherwise.
 */
export class DynamicRagApi implements ICredentialType {
	name = 'dynamicRagApi';

	displayName = 'Dynamic RAG API';

	icon: Icon = { light: 'file:../icons/dynamicRag.svg', dark: 'file:../icons/dynamicRag.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-dynamic-rag#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:8080',
			placeholder: 'https://rag.example.com',
			description: 'Where the Dynamic RAG service answers (a trailing slash is ignored)',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'drag_...',
			description:
				'The API key of your Dynamic RAG account (shown once at sign-up; a new one from Settings, Rotate API key)',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	// axios joins baseURL and url with exactly one slash, so a Base URL ending in "/" works here too
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/api/auth/me',
			method: 'GET',
		},
	};
}
