import { describe, expect, it } from 'vitest';
import { API_KEY_MARKER, mcpClientConfigs, mcpEndpoint, serverKey } from './settingsMcp';

describe('mcpClientConfigs', () => {
  const configs = mcpClientConfigs('https://rag.example.com/', 'dynamic-rag');

  it('points at the deployment\'s /mcp endpoint', () => {
    expect(configs.url).toBe('https://rag.example.com/mcp');
    expect(mcpEndpoint('http://localhost:5173', 'mcp')).toBe('http://localhost:5173/mcp');
  });

  it('writes the mcpServers JSON with the URL and the key header, never a real key', () => {
    expect(JSON.parse(configs.json)).toEqual({
      mcpServers: { 'dynamic-rag': { type: 'http', url: 'https://rag.example.com/mcp', headers: { 'X-API-Key': API_KEY_MARKER } } },
    });
    expect(configs.json).not.toMatch(/drag_/);
  });

  it('writes the Inspector CLI and Claude Code command lines', () => {
    expect(configs.inspector).toBe('npx -y @modelcontextprotocol/inspector@latest --cli https://rag.example.com/mcp '
      + '--transport http \\\n  --header "X-API-Key: <your API key>" --method tools/list');
    expect(configs.claudeCode).toBe('claude mcp add --transport http dynamic-rag https://rag.example.com/mcp '
      + '--header "X-API-Key: <your API key>"');
  });

  it('quotes an unusual URL for the shell', () => {
    expect(mcpClientConfigs("http://host/it's").inspector).toContain(`--cli 'http://host/it'\\''s/mcp'`);
  });
});

describe('serverKey', () => {
  it('makes a client-friendly key of the server name', () => {
    expect(serverKey('Dynamic RAG')).toBe('dynamic-rag');
    expect(serverKey('')).toBe('dynamic-rag');
    expect(serverKey(undefined)).toBe('dynamic-rag');
  });
});
