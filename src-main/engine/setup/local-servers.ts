// OpenAI-compatible servers people already run on their own machine, at the addresses those tools
// use out of the box. First run probes exactly these (loopback only) so that an LM Studio or Ollama
// user is offered the model they already have instead of a 7 GB download.

export interface KnownLocalServer {
  id: 'lm-studio' | 'ollama' | 'llama-server' | 'configured';
  /** The product name a user recognises. */
  name: string;
  /** Base URL ending in /v1, ready for llm.api_url. */
  apiUrl: string;
}

export const KNOWN_LOCAL_SERVERS: readonly KnownLocalServer[] = [
  { id: 'lm-studio', name: 'LM Studio', apiUrl: 'http://127.0.0.1:1234/v1' },
  { id: 'ollama', name: 'Ollama', apiUrl: 'http://127.0.0.1:11434/v1' },
  { id: 'llama-server', name: 'llama.cpp server', apiUrl: 'http://127.0.0.1:8080/v1' },
];

/** The well-known servers plus the one llm.api_url names, when that is somewhere else (a custom port). */
export function localServersToProbe(configuredApiUrl: string): KnownLocalServer[] {
  const normalised = configuredApiUrl.replace(/\/+$/, '');
  if (KNOWN_LOCAL_SERVERS.some((s) => s.apiUrl === normalised)) return [...KNOWN_LOCAL_SERVERS];
  return [...KNOWN_LOCAL_SERVERS, { id: 'configured', name: 'the server in llm.api_url', apiUrl: normalised }];
}
