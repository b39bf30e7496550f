import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Badge, Card, CopyButton, EmptyState, ErrorState, Loading, PageHeader } from '@/components/ui';
import { api } from '@/lib/api';
import { mcpClientConfigs, type McpServerInfo, type McpToolList } from '@/lib/settingsMcp';

function Snippet({ title, value, copyLabel, testId }: { title: string; value: string; copyLabel: string; testId: string }) {
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold text-slate-800">{title}</h3>
        <CopyButton value={value} label={copyLabel} />
      </div>
      <pre data-testid={testId} tabIndex={0} aria-label={title} className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100"><code>{value}</code></pre>
    </div>
  );
}

export function McpPage() {
  const info = useQuery({ queryKey: ['mcp', 'info'], queryFn: () => api<McpServerInfo>('/mcp') });
  const tools = useQuery({ queryKey: ['mcp', 'tools'], queryFn: () => api<McpToolList>('/tools') });
  const configs = mcpClientConfigs(window.location.origin, info.data?.name, info.data?.transport.endpoint);

  return (
    <div className="space-y-6">
      <PageHeader title="MCP"
                  description="Connect an AI assistant or agent (Claude, Cursor, VS Code, your own MCP client) to search and read your documents over the Model Context Protocol." />

      <Card title="Endpoint">
        <div className="space-y-4">
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="mcp-url" className="min-w-0 flex-1 break-all rounded bg-slate-100 p-2 text-sm">{configs.url}</code>
            <CopyButton value={configs.url} label="Copy URL" />
          </div>
          {info.isPending && <Loading label="Loading the server information…" />}
          {info.error && <ErrorState error={info.error} onRetry={() => info.refetch()} />}
          {info.data && (
            <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
              <dt className="font-medium text-slate-700">Server</dt>
              <dd>{info.data.title ?? info.data.name} <span className="text-slate-600">({info.data.name} {info.data.version})</span></dd>
              <dt className="font-medium text-slate-700">Transport</dt>
              <dd>{info.data.transport.type === 'streamable-http' ? 'Streamable HTTP' : info.data.transport.type}, {info.data.transport.stateless ? 'stateless (no session to keep)' : 'with sessions'}</dd>
              <dt className="font-medium text-slate-700">Protocol versions</dt>
              <dd className="flex flex-wrap gap-1">{info.data.protocol_versions.map((version) => <Badge key={version}>{version}</Badge>)}</dd>
              <dt className="font-medium text-slate-700">Authentication</dt>
              <dd><code>X-API-Key: &lt;your API key&gt;</code> (or <code>Authorization: Bearer &lt;key&gt;</code>); without it the answer is 401</dd>
            </dl>
          )}
        </div>
      </Card>

      <Card title="Tools">
        {tools.isPending && <Loading label="Loading the tools…" />}
        {tools.error && <ErrorState error={tools.error} onRetry={() => tools.refetch()} />}
        {tools.data && tools.data.tools.length === 0 && (
          <EmptyState title="No tools are offered">This server build exposes no MCP tools.</EmptyState>
        )}
        {tools.data && tools.data.tools.length > 0 && (
          <ul className="divide-y divide-slate-100" aria-label="MCP tools">
            {tools.data.tools.map((tool) => (
              <li key={tool.name} data-testid="mcp-tool" className="py-3 first:pt-0 last:pb-0">
                <div className="flex flex-wrap items-center gap-2">
                  <h3 className="font-mono text-sm font-semibold text-slate-900">{tool.name}</h3>
                  {tool.title && <span className="text-sm text-slate-700">{tool.title}</span>}
                  {tool.read_only ? <Badge tone="completed">read-only</Badge> : <Badge tone="processing">writes</Badge>}
                </div>
                <p className="mt-1 text-sm text-slate-700">{tool.description}</p>
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card title="Connect a client">
        <div className="space-y-5">
          <p className="text-sm text-slate-700">
            Your API key is never shown here: replace <code>&lt;your API key&gt;</code> with your own. Lost it? Get a new one
            in <Link className="font-medium text-brand-700 underline" to="/settings">Settings → Rotate API key</Link> (the
            old key stops working at once). The tools only ever see your own documents, and MCP calls count against your
            rate limits.
          </p>
          <Snippet title="JSON configuration (Cursor, VS Code, Claude Code .mcp.json: mcpServers)" value={configs.json}
                   copyLabel="Copy JSON config" testId="mcp-json-config" />
          <Snippet title="Claude Code" value={configs.claudeCode} copyLabel="Copy Claude Code command" testId="mcp-claude-code" />
          <Snippet title="MCP Inspector (CLI): list the tools" value={configs.inspector} copyLabel="Copy Inspector command"
                   testId="mcp-inspector" />
        </div>
      </Card>
    </div>
  );
}
