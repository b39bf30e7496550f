/**
 * What the MCP page shows: the endpoint of this deployment and ready-to-paste client configurations. The API key is
 * never put in them: the user replaces the marker with their own key (Settings -> Rotate API key).
 */

/** GET /mcp with Accept: application/json: the server's own description. */
export interface McpServerInfo {
  name: string;
  title?: string;
  version: string;
  protocol_versions: string[];
  transport: { type: string; endpoint: string; stateless: boolean };
  authentication?: string;
  instructions?: string;
}

/** GET /tools. */
export interface McpToolList {
  count: number;
  tools: { name: string; title: string | null; description: string; read_only: boolean }[];
}

export const API_KEY_MARKER = '<your API key>';

export interface McpClientConfigs {
  url: string;
  /** Cursor, VS Code, Claude Code's .mcp.json, Claude Desktop through a bridge: the `mcpServers` JSON. */
  json: string;
  /** The MCP Inspector CLI listing the tools. */
  inspector: string;
  /** Claude Code's one-line registration. */
  claudeCode: string;
}

function shellArg(value: string): string {
  return /^[\w:/.@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A server name that clients accept as a key: lower case letters, digits and dashes. */
export function serverKey(name: string | undefined | null): string {
  const key = (name ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return key || 'dynamic-rag';
}

export function mcpEndpoint(origin: string, endpoint = '/mcp'): string {
  return `${origin.replace(/\/+$/, '')}${endpoint.startsWith('/') ? endpoint : `/${endpoint}`}`;
}

export function mcpClientConfigs(origin: string, serverName?: string | null, endpoint = '/mcp'): McpClientConfigs {
  const url = mcpEndpoint(origin, endpoint);
  const name = serverKey(serverName);
  const json = JSON.stringify({
    mcpServers: { [name]: { type: 'http', url, headers: { 'X-API-Key': API_KEY_MARKER } } },
  }, null, 2);
  const header = `"X-API-Key: ${API_KEY_MARKER}"`;
  return {
    url,
    json,
    inspector: `npx -y @modelcontextprotocol/inspector@latest --cli ${shellArg(url)} --transport http \\\n  --header ${header} --method tools/list`,
    claudeCode: `claude mcp add --transport http ${name} ${shellArg(url)} --header ${header}`,
  };
}
