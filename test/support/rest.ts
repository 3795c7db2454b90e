/** Parsed JSON of an answer: tests read fields freely and assert their values. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A JSON answer of the REST API: status, content type and parsed body. */
export interface RestAnswer<T = Json> {
  status: number;
  contentType: string;
  body: T;
}

/** Calls the native REST API over HTTP/1.1 (fetch), sending `body` as JSON when given. */
export async function rest<T = Json>(endpoint: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RestAnswer<T>> {
  const res = await fetch(endpoint + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
}

/** Creates a stream over REST and waits until it is ACTIVE. */
export async function createActive(endpoint: string, input: Record<string, unknown>): Promise<void> {
  const created = await rest(endpoint, 'POST', '/v1/streams', input);
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  await waitStatus(endpoint, String(input.name), 'ACTIVE');
}

export async function waitStatus(endpoint: string, name: string, status: string, timeoutMs = 15_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await rest(endpoint, 'GET', `/v1/streams/${name}`);
    if (answer.body?.status === status) return answer.body;
    if (Date.now() > deadline) throw new Error(`${name} is not ${status}: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
