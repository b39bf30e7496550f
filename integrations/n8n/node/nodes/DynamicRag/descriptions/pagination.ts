import type { INodeProperties } from 'n8n-workflow';

/** "Return All" and "Limit" for a resource's Get Many operation (n8n's convention for list operations). */
export function getManyPagination(resource: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show: { resource: [resource], operation: ['getMany'] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { resource: [resource], operation: ['getMany'], returnAll: [false] } },
		},
	];
}
