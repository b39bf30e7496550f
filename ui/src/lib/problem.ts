/**
 * The service answers every error as application/problem+json whose `detail` names the fields it refuses, as
 * "Invalid request: email: must be a well-formed email address; password: must be 8 to 72 characters" or
 * "Invalid configuration: chunking_overlap: must be below chunking_size". Forms show each part next to its field.
 */
export interface Problem {
  status: number;
  title?: string;
  detail: string;
  [extra: string]: unknown;
}

const PREFIXES = [/^Invalid request:\s*/i, /^Invalid configuration:\s*/i, /^Invalid JSON body:\s*/i];
const FIELD_PART = /^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+|\[\d+\])*):\s+(.+)$/i;
/** "chunking_size must be ...": a sentence about a field of its own, never the rest of the one before. */
const FIELD_SENTENCE = /^[a-z][a-z0-9_.[\]]*\s+(must|is|are|should|cannot|needs?|may)\b/;
const INVALID_VALUE = /^Invalid value for ([a-z][a-z0-9_.[\]]*):\s*(.+)$/i;

/** Splits a problem's detail into messages per field; what names no field stays in `general`. */
export function fieldErrors(detail: string | undefined | null): { fields: Record<string, string>; general: string[] } {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  if (!detail) return { fields, general };
  let body = detail.trim();
  for (const prefix of PREFIXES) body = body.replace(prefix, '');
  const whole = INVALID_VALUE.exec(body);
  if (whole) {
    fields[whole[1]] = whole[2];
    return { fields, general };
  }
  let previousField: string | null = null;
  for (const raw of body.split(/;\s+/)) {
    const part = raw.trim();
    if (!part) continue;
    const match = FIELD_PART.exec(part);
    if (match && !/\s/.test(match[1])) {
      const name = match[1];
      fields[name] = fields[name] ? `${fields[name]}; ${match[2]}` : match[2];
      previousField = name;
    } else if (/^[a-z]/.test(part) && !FIELD_SENTENCE.test(part) && (previousField || general.length)) {
      // "embedding_model: needs the key; set openai_api_key ..." or "This account is suspended; contact support":
      // a lower-case clause goes on with the message before it
      if (previousField) fields[previousField] = `${fields[previousField]}; ${part}`;
      else general[general.length - 1] = `${general[general.length - 1]}; ${part}`;
    } else {
      general.push(part);
      previousField = null;
    }
  }
  if (general.length === 0 && Object.keys(fields).length === 0) general.push(detail);
  return { fields, general };
}

/** The message for one field, also when the server names a nested path under it (metadata.x -> metadata). */
export function messageFor(fields: Record<string, string>, name: string): string | undefined {
  if (fields[name]) return fields[name];
  const nested = Object.keys(fields).find((key) => key.startsWith(`${name}.`) || key.startsWith(`${name}[`));
  return nested ? fields[nested] : undefined;
}

/**
 * Some 400s name their field without "field: message" ("filters.created_after must be an ISO-8601 date",
 * "chunking_size must be between 100 and 8000"). Moves each such general message to the field it starts with,
 * the longest known name first.
 */
export function claimFieldMessages(fields: Record<string, string>, general: string[], names: string[]):
  { fields: Record<string, string>; general: string[] } {
  const claimed = { ...fields };
  const rest: string[] = [];
  const byLength = [...names].sort((a, b) => b.length - a.length);
  for (const message of general) {
    const name = byLength.find((candidate) => message.startsWith(candidate)
      && /^[\s.[]/.test(message.slice(candidate.length)));
    if (name) claimed[name] = claimed[name] ? `${claimed[name]}; ${message}` : message;
    else rest.push(message);
  }
  return { fields: claimed, general: rest };
}
