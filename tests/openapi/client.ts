// A small typed client for the onex REST API, written against the types that
// openapi-typescript generates from the server's OpenAPI document into
// generated/api.d.ts (scripts/openapi-check.sh). It is only type-checked
// (tsc --strict, noEmit): it proves that the document types the requests and
// answers of these operations, so that a wrong field name fails to compile.
//
// Every type below is read from `paths` (not from component names), so the
// document may name or inline its schemas as it likes.
import createClient from "openapi-fetch";
import type { paths } from "./generated/api";

type SignInOp = paths["/api/v1/sessions"]["post"];
type ListOp = paths["/api/v1/declarations"]["get"];
type ReadOp = paths["/api/v1/declarations/{id}"]["get"];

export type SignInBody = SignInOp["requestBody"] extends { content: { "application/json": infer B } } | undefined
  ? B
  : never;
export type SessionGranted = SignInOp["responses"][200]["content"]["application/json"];
export type SignInChallenge = SignInOp["responses"][202]["content"]["application/json"];
export type DeclarationQuery = NonNullable<ListOp["parameters"]["query"]>;
export type DeclarationPage = ListOp["responses"][200]["content"]["application/json"];
export type DeclarationItem = DeclarationPage["items"][number];
export type Declaration = ReadOp["responses"][200]["content"]["application/json"];
export type Problem = ReadOp["responses"][404]["content"]["application/problem+json"];

/** A failed call: the HTTP status and, when the server sent one, its problem document. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;
  constructor(status: number, problem: Problem | undefined) {
    super(problem ? `${problem.status} ${problem.code}: ${problem.title}` : `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

export type SignInResult =
  | { kind: "session"; token: string; session: SessionGranted }
  | { kind: "challenge"; challengeId: string; phoneTail: string };

export class OnexClient {
  private readonly api: ReturnType<typeof createClient<paths>>;
  private token: string | undefined;

  constructor(baseUrl: string) {
    this.api = createClient<paths>({ baseUrl });
  }

  private auth(): { Authorization: string } {
    if (this.token === undefined) throw new Error("not signed in");
    return { Authorization: `Bearer ${this.token}` };
  }

  /** POST /api/v1/sessions: a session (200), or an SMS challenge (202) on an untrusted device. */
  async signIn(account: string, password: string): Promise<SignInResult> {
    const body: SignInBody = { account, password };
    const { data, error, response } = await this.api.POST("/api/v1/sessions", { body });
    if (error !== undefined || data === undefined) throw new ApiError(response.status, error);
    if ("challenge_id" in data) {
      return { kind: "challenge", challengeId: data.challenge_id, phoneTail: data.phone_tail };
    }
    this.token = data.token;
    return { kind: "session", token: data.token, session: data };
  }

  /** GET /api/v1/declarations?page=&page_size=&status= */
  async listDeclarations(query: DeclarationQuery): Promise<DeclarationPage> {
    const { data, error, response } = await this.api.GET("/api/v1/declarations", {
      params: { query },
      headers: this.auth(),
    });
    if (error !== undefined || data === undefined) throw new ApiError(response.status, error);
    return data;
  }

  /** GET /api/v1/declarations/{id} */
  async declaration(id: string): Promise<Declaration> {
    const { data, error, response } = await this.api.GET("/api/v1/declarations/{id}", {
      params: { path: { id } },
      headers: this.auth(),
    });
    if (error !== undefined || data === undefined) throw new ApiError(response.status, error);
    return data;
  }
}

/** The flow the brief describes: sign in, list the first page of drafts, read each. */
export async function example(baseUrl: string): Promise<string[]> {
  const client = new OnexClient(baseUrl);
  const signed = await client.signIn("admin", "secret");
  if (signed.kind === "challenge") {
    return [`SMS code sent to the phone ending ${signed.phoneTail} (challenge ${signed.challengeId})`];
  }
  const lines: string[] = [`signed in as ${signed.session.account.account}, token ${signed.token.length} chars`];

  const page = await client.listDeclarations({ page: 1, page_size: 10, status: "draft" });
  lines.push(`page ${page.page} of size ${page.page_size}: ${page.items.length} of ${page.total}`);
  for (const item of page.items) {
    const id: string = item.id;
    const version: number = item.version;
    const status: string = item.status;
    const full = await client.declaration(id);
    lines.push(`${id} v${version} ${status} -> v${full.version} ${full.status}`);
  }
  return lines;
}

// Compile-time guards. Each line below must FAIL to compile: if the document
// typed these loosely (`any`, an index signature, a missing request schema),
// tsc reports an unused @ts-expect-error and the check fails.
export function guards(page: DeclarationPage, d: Declaration, client: OnexClient): void {
  // @ts-expect-error -- no such field on a list item
  void page.items[0]?.no_such_field;
  // @ts-expect-error -- no such field on a declaration
  void d.no_such_field;
  // @ts-expect-error -- no such field on a page
  void page.no_such_field;
  // @ts-expect-error -- the sign-in body has no such field
  const wrongBody: SignInBody = { account: "a", password: "p", no_such_field: 1 };
  void wrongBody;
  // @ts-expect-error -- the list has no such query parameter
  void client.listDeclarations({ page: 1, no_such_param: 2 });
}
