/**
 * Checks a method's one argument against its schema in REQUEST_SCHEMAS. Shared by the
 * service (which the CLI calls directly) and the IPC dispatcher (which must reject bad
 * payloads before they reach the service).
 */
import type { z } from 'zod';
import { REQUEST_SCHEMAS, STUDIO_METHODS } from '../../common/api';
import type { StudioMethod } from '../../common/api';
import { StudioError } from '../../common/errors';

type SchemaOf<M extends StudioMethod> = (typeof REQUEST_SCHEMAS)[M];

/** The argument a method receives after parsing (defaults applied); undefined if it takes none. */
export type ParsedRequest<M extends StudioMethod> = SchemaOf<M> extends z.ZodType ? z.output<SchemaOf<M>> : undefined;

/** True for the names in STUDIO_METHODS, and nothing inherited from Object. */
export function isStudioMethod(name: unknown): name is StudioMethod {
  return typeof name === 'string' && (STUDIO_METHODS as readonly string[]).includes(name);
}

/**
 * Parses `payload` for `method`. Throws StudioError('invalid-input') naming every bad field:
 * `startTraining: hyperparams.units: Too small: expected number to be >=1`.
 */
export function parseRequest<M extends StudioMethod>(method: M, payload: unknown): ParsedRequest<M> {
  const schema: z.ZodType | null = REQUEST_SCHEMAS[method];
  if (schema === null) {
    // JSON transports send null for "nothing"; anything else is a caller's mistake.
    if (payload !== undefined && payload !== null) {
      throw new StudioError('invalid-input', `${method} takes no argument, but got ${describe(payload)}.`);
    }
    return undefined as ParsedRequest<M>;
  }
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(payload);
  } catch {
    // A getter or Proxy trap threw while zod read it; what it threw is not worth reading either.
    throw new StudioError('invalid-input', `Invalid ${method} request: it could not be read.`);
  }
  if (!result.success) throw new StudioError('invalid-input', formatIssues(method, result.error.issues));
  return result.data as ParsedRequest<M>;
}

/** One line per problem, each led by the field's dotted path. */
export function formatIssues(method: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, 10).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(request)';
    return `${where}: ${issue.message}`;
  });
  const more = issues.length > 10 ? `; and ${issues.length - 10} more` : '';
  return `Invalid ${method} request: ${lines.join('; ')}${more}.`;
}

function describe(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined; // BigInt, cycles, a throwing toJSON: fall back to the type
  }
  return json === undefined ? typeof value : json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
