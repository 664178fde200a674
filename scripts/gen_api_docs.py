#!/usr/bin/env python3
"""Generates the route reference of docs/API.md from src/api/openapi.json.

docs/API.md is hand-written prose (conventions, errors, differences from the reference)
followed by a per-route reference that mirrors the OpenAPI document: the route table, one
section per tag with every operation (parameters, example requests, each response with its
example and the fields of its schema), and the shared schemas. That reference is written
between two marker lines; everything outside them is kept byte for byte:

  <!-- BEGIN GENERATED: scripts/gen_api_docs.py from src/api/openapi.json; edit those, not this -->
  <!-- END GENERATED -->

Besides standard OpenAPI 3.0 it reads two extensions of the document:
  x-example-requests   (operation) request targets ("/pnodes?limit=5") shown as curl
                       examples; without it the example is the bare path, path parameters
                       replaced by their `example`
  x-token-env          (http bearer security scheme) the environment variable holding the
                       token, used in the curl example and the "Needs ..." line

Usage:
  gen_api_docs.py [--repo DIR]           rewrite docs/API.md in place
  gen_api_docs.py --check [--repo DIR]   exit 1 (with a short diff) if docs/API.md is stale
  gen_api_docs.py --self-test            check the generator on a tiny document

The output depends on the two files only (no timestamps), so --check is stable.
"""
import argparse
import difflib
import json
import pathlib
import re
import subprocess
import sys
import tempfile

BEGIN_MARKER = ("<!-- BEGIN GENERATED: scripts/gen_api_docs.py from src/api/openapi.json; "
                "edit those, not this -->")
END_MARKER = "<!-- END GENERATED -->"
OPENAPI_PATH = pathlib.Path("src/api/openapi.json")
DOC_PATH = pathlib.Path("docs/API.md")
BASE_URL = "http://127.0.0.1:8080"  # the PORT of "Trying it locally"
JSON_WIDTH = 99        # a JSON container is written on one line when that line fits in this
FIELD_DEPTH = 2        # field tables list `a` and `a.b`, not `a.b.c`
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SHARED_SCHEMAS_INTRO = (
    "Objects that several routes return (the `components.schemas` of `/openapi.json`). \"Always\"\n"
    "says whether the field is always present.")
DIFF_LINES = 40


# ---------------------------------------------------------------------------------------------
# JSON examples: indented by 2, but a container that fits on its line is written compactly.

def compact_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def format_json(value, indent=0, used=0, trailing=0):
    """`value` as it appears after `used` characters of a line indented by `indent`, followed
    by `trailing` characters (a comma)."""
    text = compact_json(value)
    if not isinstance(value, (dict, list)) or not value:
        return text
    if used + len(text) + trailing <= JSON_WIDTH:
        return text
    pad = " " * (indent + 2)
    items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
    lines = []
    for i, (key, item) in enumerate(items):
        prefix = pad if key is None else pad + json.dumps(key, ensure_ascii=False) + ": "
        comma = "," if i + 1 < len(items) else ""
        lines.append(prefix + format_json(item, indent + 2, len(prefix), len(comma)) + comma)
    open_, close = ("{", "}") if isinstance(value, dict) else ("[", "]")
    return open_ + "\n" + "\n".join(lines) + "\n" + " " * indent + close


# ---------------------------------------------------------------------------------------------
# Schemas: types and field tables.

class Document:
    def __init__(self, spec):
        self.spec = spec
        self.schemas = spec.get("components", {}).get("schemas", {})

    def ref_name(self, schema):
        """The component name a schema refers to ($ref, or allOf with a single $ref), or None."""
        if not isinstance(schema, dict):
            return None
        ref = schema.get("$ref")
        if ref is None and len(schema.get("allOf", [])) == 1:
            ref = schema["allOf"][0].get("$ref")
        if ref is None:
            return None
        prefix = "#/components/schemas/"
        if not ref.startswith(prefix):
            raise ValueError(f"unsupported $ref {ref}")
        return ref[len(prefix):]

    def resolve(self, schema):
        name = self.ref_name(schema)
        if name is None:
            return schema
        if name not in self.schemas:
            raise ValueError(f"$ref to unknown schema {name}")
        return self.schemas[name]

    def type_text(self, schema):
        name = self.ref_name(schema)
        if name is not None:
            text = f"`{name}`"
        elif "oneOf" in schema or "anyOf" in schema:
            text = " or ".join(self.type_text(s) for s in schema.get("oneOf", schema.get("anyOf")))
        else:
            kind = schema.get("type")
            if kind == "array":
                text = "array of " + self.type_text(schema.get("items", {}))
            elif (kind == "object" and "properties" not in schema
                  and isinstance(schema.get("additionalProperties"), dict)
                  and schema["additionalProperties"]):
                text = "map of " + self.type_text(schema["additionalProperties"])
            elif kind:
                text = kind
            else:
                text = "any"
        if schema.get("nullable"):
            text += " or null"
        return text

    def notes_text(self, schema):
        notes = []
        description = schema.get("description")
        if description is None and "$ref" in schema:
            description = self.resolve(schema).get("description")
        if description:
            notes.append(description)
        if "enum" in schema:
            notes.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"]))
        return "; ".join(notes)

    def field_rows(self, schema, prefix="", depth=1):
        schema = self.resolve(schema)
        required = set(schema.get("required", []))
        rows = []
        for name, prop in schema.get("properties", {}).items():
            path = prefix + name
            rows.append((path, self.type_text(prop), "yes" if name in required else "no",
                         self.notes_text(prop)))
            if depth < FIELD_DEPTH and self.ref_name(prop) is None and "properties" in prop:
                rows.extend(self.field_rows(prop, path + ".", depth + 1))
        return rows

    def field_table(self, schema):
        rows = self.field_rows(schema)
        if not rows:
            return None
        lines = ["| Field | Type | Always | Notes |", "|---|---|---|---|"]
        lines += [f"| `{p}` | {cell(t)} | {a} | {cell(n)} |" for p, t, a, n in rows]
        return "\n".join(lines)


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def anchor(method, path):
    return method + "-" + re.sub(r"[^a-z0-9_-]", "", path.lower())


# ---------------------------------------------------------------------------------------------
# Operations.

def operations(spec):
    """(tag, method, path, operation) in tag order, then document order."""
    tag_names = [t["name"] for t in spec.get("tags", [])]
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["default"])[0]
                if tag not in tag_names:
                    tag_names.append(tag)
                found.append((tag, method, path, op))
    return sorted(found, key=lambda f: tag_names.index(f[0]))  # stable: keeps document order


def bearer_env(spec, op):
    """The token variable of the operation's bearer security scheme, or None."""
    schemes = spec.get("components", {}).get("securitySchemes", {})
    for requirement in op.get("security", []):
        for name in requirement:
            scheme = schemes.get(name, {})
            if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
                return scheme.get("x-token-env", "TOKEN")
    return None


def parameter_table(op):
    params = op.get("parameters", [])
    if not params:
        return None
    lines = ["| Parameter | In | Type | Default | Allowed | Description |",
             "|---|---|---|---|---|---|"]
    for p in params:
        schema = p.get("schema", {})
        if p.get("in") == "path":
            default = "(path)"
        elif p.get("required"):
            default = "**required**"
        elif "default" in schema:
            default = f"`{compact_json(schema['default'])}`"
        else:
            default = ""
        if "enum" in schema:
            allowed = ", ".join(f"`{v}`" for v in schema["enum"])
        elif "minimum" in schema and "maximum" in schema:
            allowed = f"{compact_json(schema['minimum'])} to {compact_json(schema['maximum'])}"
        elif "minimum" in schema:
            allowed = f"≥ {compact_json(schema['minimum'])}"
        elif "maximum" in schema:
            allowed = f"≤ {compact_json(schema['maximum'])}"
        else:
            allowed = ""
        lines.append(f"| `{p['name']}` | {p.get('in', '')} | {schema.get('type', 'any')} | "
                     f"{default} | {cell(allowed)} | {cell(p.get('description', ''))} |")
    return "\n".join(lines)


def example_requests(spec, method, path, op):
    targets = op.get("x-example-requests")
    if not targets:
        target = path
        for p in op.get("parameters", []):
            if p.get("in") == "path":
                target = target.replace("{" + p["name"] + "}", str(p.get("example", p["name"])))
        targets = [target]
    options = ""
    if method != "get":
        options += f" -X {method.upper()}"
    env = bearer_env(spec, op)
    if env:
        options += f' -H "Authorization: Bearer ${env}"'
    return [f"curl -s{options} '{BASE_URL}{t}'" for t in targets]


def response_blocks(doc, code, response):
    success = str(code).startswith("2")
    content = response.get("content", {})
    media, body = next(iter(content.items()), (None, {}))
    has_example = "example" in body
    is_json = media is not None and "json" in media
    head = f"**{code}** — {response.get('description', '')}"
    if success and has_example and is_json:
        head += " Example:"
    blocks = [head]
    if has_example:
        example = body["example"]
        if is_json:
            blocks.append("```json\n" + format_json(example) + "\n```")
        else:
            text = example if isinstance(example, str) else compact_json(example)
            blocks.append("```\n" + text.rstrip("\n") + "\n```")
    if success and "schema" in body:
        table = doc.field_table(body["schema"])
        if table:
            blocks.append("<details><summary>Fields</summary>\n\n" + table + "\n\n</details>")
    return blocks


def operation_blocks(doc, method, path, op):
    blocks = [f'<a id="{anchor(method, path)}"></a>\n### {method.upper()} `{path}`']
    summary = op.get("summary", "").rstrip(".")
    intro = f"**{summary}.**" if summary else ""
    if op.get("description"):
        intro = (intro + " " + op["description"]).strip()
    if intro:
        blocks.append(intro)
    table = parameter_table(op)
    if table:
        blocks.append(table)
    env = bearer_env(doc.spec, op)
    if env:
        blocks.append(f"Needs `Authorization: Bearer <{env}>`.")
    requests = example_requests(doc.spec, method, path, op)
    blocks.append("Example request" + ("s" if len(requests) > 1 else "") + ":")
    blocks.append("```bash\n" + "\n".join(requests) + "\n```")
    for code, response in op.get("responses", {}).items():
        blocks.extend(response_blocks(doc, code, response))
    return blocks


def generate(spec):
    """The generated reference (without the markers)."""
    doc = Document(spec)
    ops = operations(spec)
    blocks = ["## Routes"]
    rows = ["| Method | Path | Summary |", "|---|---|---|"]
    for _, method, path, op in ops:
        rows.append(f"| {method.upper()} | [`{path}`](#{anchor(method, path)}) | "
                    f"{cell(op.get('summary', ''))} |")
    blocks.append("\n".join(rows))
    tag_descriptions = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    current = None
    for tag, method, path, op in ops:
        if tag != current:
            current = tag
            blocks.append("## " + tag[:1].upper() + tag[1:])
            if tag_descriptions.get(tag):
                blocks.append(tag_descriptions[tag])
        blocks.extend(operation_blocks(doc, method, path, op))
    if doc.schemas:
        blocks.append("## Shared schemas")
        blocks.append(SHARED_SCHEMAS_INTRO)
        for name, schema in doc.schemas.items():
            blocks.append(f"### `{name}`")
            if schema.get("description"):
                blocks.append(schema["description"])
            table = doc.field_table(schema)
            if table:
                blocks.append(table)
    return "\n\n".join(blocks) + "\n"


def render(doc_text, spec):
    """docs/API.md with the generated part replaced; the rest is kept verbatim."""
    begin = doc_text.find(BEGIN_MARKER + "\n")
    end = doc_text.find("\n" + END_MARKER, begin + 1) if begin >= 0 else -1
    if begin < 0 or end < 0:
        raise ValueError(f"{DOC_PATH} has no generated part: it needs a line\n  {BEGIN_MARKER}\n"
                         f"and, after it, a line\n  {END_MARKER}")
    head = doc_text[:begin + len(BEGIN_MARKER) + 1]
    return head + "\n" + generate(spec) + doc_text[end:]


# ---------------------------------------------------------------------------------------------
# Command line.

def load(repo):
    spec_text = (repo / OPENAPI_PATH).read_text(encoding="utf-8")
    try:
        spec = json.loads(spec_text)
    except json.JSONDecodeError as e:
        raise ValueError(f"{OPENAPI_PATH}: invalid JSON: {e}")
    doc_text = (repo / DOC_PATH).read_text(encoding="utf-8")
    return spec, doc_text


def run(repo, check):
    try:
        spec, old = load(repo)
        new = render(old, spec)
    except (OSError, ValueError) as e:
        print(f"gen_api_docs: {e}", file=sys.stderr)
        return 2
    if check:
        if new == old:
            return 0
        diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), str(DOC_PATH),
                                         f"{DOC_PATH} (regenerated)", n=1, lineterm=""))
        for line in diff[:DIFF_LINES]:
            print(line)
        if len(diff) > DIFF_LINES:
            print(f"... ({len(diff) - DIFF_LINES} more diff lines)")
        print(f"{DOC_PATH} is out of date: run make docs")
        return 1
    if new != old:
        with open(repo / DOC_PATH, "w", encoding="utf-8", newline="\n") as f:
            f.write(new)
        print(f"{DOC_PATH} regenerated from {OPENAPI_PATH}")
    else:
        print(f"{DOC_PATH} is up to date")
    return 0


SELF_TEST_SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Tiny", "version": "1.0"},
    "tags": [{"name": "status", "description": "Health."}],
    "paths": {
        "/ping": {"get": {
            "tags": ["status"], "summary": "Ping", "description": "Answers pong.",
            "parameters": [{"name": "n", "in": "query", "required": False,
                            "description": "How many.",
                            "schema": {"type": "integer", "default": 1, "minimum": 1,
                                       "maximum": 9}}],
            "responses": {
                "200": {"description": "Pong.", "content": {"application/json": {
                    "schema": {"type": "object",
                               "properties": {"pong": {"$ref": "#/components/schemas/Pong"},
                                              "n": {"type": "integer", "nullable": True}},
                               "required": ["pong"]},
                    "example": {"pong": {"ok": True}, "n": 1}}}},
                "503": {"description": "Not yet."}}}},
    },
    "components": {"schemas": {"Pong": {"type": "object", "description": "A pong.",
                                        "properties": {"ok": {"type": "boolean"}},
                                        "required": ["ok"]}}},
}
SELF_TEST_DOC = ("# Tiny API\n\nHand-written | prose, kept.\n\n" + BEGIN_MARKER + "\nstale\n"
                 + END_MARKER + "\n\nTrailing prose, kept too.\n")


def self_test():
    failures = 0

    def expect(ok, what):
        nonlocal failures
        print(("ok   " if ok else "FAIL ") + what)
        failures += 0 if ok else 1

    def cli(repo, *args):
        result = subprocess.run([sys.executable, __file__, "--repo", str(repo), *args],
                                capture_output=True, text=True)
        return result.returncode, result.stdout + result.stderr

    with tempfile.TemporaryDirectory() as tmp:
        repo = pathlib.Path(tmp)
        (repo / "docs").mkdir()
        (repo / "src" / "api").mkdir(parents=True)
        spec_file, doc_file = repo / OPENAPI_PATH, repo / DOC_PATH
        spec_file.write_text(json.dumps(SELF_TEST_SPEC, indent=2) + "\n", encoding="utf-8")
        doc_file.write_text(SELF_TEST_DOC, encoding="utf-8")

        code, out = cli(repo, "--check")
        expect(code == 1 and "out of date: run make docs" in out,
               "--check fails on a document whose generated part is stale")
        code, out = cli(repo)
        text = doc_file.read_text(encoding="utf-8")
        inside = text.split(BEGIN_MARKER + "\n", 1)[-1].split(END_MARKER, 1)[0]
        expect(code == 0 and "stale" not in inside and "### GET `/ping`" in inside
               and "| GET | [`/ping`](#get-ping) | Ping |" in inside
               and "| `n` | query | integer | `1` | 1 to 9 | How many. |" in inside
               and "| `pong` | `Pong` | yes | A pong. |" in inside
               and "| `n` | integer or null | no |  |" in inside
               and '{"pong":{"ok":true},"n":1}' in inside and "### `Pong`" in inside,
               "generation fills the markers (route table, parameters, example, fields, schemas)")
        expect(text.startswith("# Tiny API\n\nHand-written | prose, kept.\n\n" + BEGIN_MARKER)
               and text.endswith(END_MARKER + "\n\nTrailing prose, kept too.\n"),
               "text outside the markers is kept verbatim")
        code, out = cli(repo, "--check")
        expect(code == 0, "--check passes right after generation")
        cli(repo)
        expect(doc_file.read_text(encoding="utf-8") == text, "regenerating changes nothing")

        spec = json.loads(json.dumps(SELF_TEST_SPEC))
        spec["paths"]["/ping"]["get"]["summary"] = "Ping the server"
        spec_file.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        code, out = cli(repo, "--check")
        expect(code == 1 and "out of date: run make docs" in out and "+**Ping the server.**" in out,
               "--check fails (with a diff) after the JSON summary changed")
        expect(doc_file.read_text(encoding="utf-8") == text, "--check does not write")

        doc_file.write_text("# No markers\n", encoding="utf-8")
        code, out = cli(repo, "--check")
        expect(code == 2 and "BEGIN GENERATED" in out, "a document without markers is an error")

    print("self-test: " + ("all ok" if failures == 0 else f"{failures} FAILED"))
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parent.parent,
                        help="repository root (default: the one this script is in)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if docs/API.md is out of date")
    parser.add_argument("--self-test", action="store_true", help="test the generator")
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    return run(args.repo, args.check)


if __name__ == "__main__":
    sys.exit(main())
