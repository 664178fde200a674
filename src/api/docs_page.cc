#include "api/docs_page.h"

#include <memory>
#include <string>

namespace pnode::api {
namespace {

// Kept in one constant so the binary serves it with no file on disk. Plain ES2017, no
// framework; every piece of data is written with textContent (see docs_page.h).
constexpr std::string_view kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference</title>
<style>
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2330; --muted:#5d6675; --line:#dde1e7; --accent:#2357d9;
        --get:#1f7a4d; --delete:#b3261e; --code:#0f1521; --codeink:#d8dee9; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--ink); background:var(--bg); }
header { background:#16213a; color:#fff; padding:16px 24px; display:flex; gap:16px; align-items:baseline; flex-wrap:wrap; }
header h1 { margin:0; font-size:20px; }
header .version { background:#2f4373; border-radius:10px; padding:1px 8px; font-size:12px; }
header a { color:#b9c9ff; }
main { display:flex; gap:24px; padding:16px 24px; align-items:flex-start; }
nav { position:sticky; top:12px; width:250px; flex:none; max-height:calc(100vh - 24px); overflow:auto; }
nav input { width:100%; padding:7px 9px; border:1px solid var(--line); border-radius:6px; margin-bottom:10px; }
nav h3 { margin:12px 0 4px; font-size:12px; text-transform:uppercase; letter-spacing:.05em; color:var(--muted); }
nav a { display:block; padding:2px 4px; color:var(--ink); text-decoration:none; font-family:ui-monospace,monospace; font-size:12px;
        white-space:nowrap; overflow:hidden; text-overflow:ellipsis; border-radius:4px; }
nav a:hover { background:#e8ecf5; }
#content { flex:1; min-width:0; }
#intro { white-space:pre-wrap; color:var(--muted); margin:0 0 12px; }
section.tag > h2 { font-size:17px; margin:22px 0 8px; border-bottom:1px solid var(--line); padding-bottom:4px; }
section.tag > p { margin:0 0 8px; color:var(--muted); }
details.op { background:var(--card); border:1px solid var(--line); border-radius:8px; margin:8px 0; }
details.op > summary { cursor:pointer; padding:9px 12px; display:flex; gap:10px; align-items:center; list-style:none; }
details.op > summary::-webkit-details-marker { display:none; }
details.op[open] > summary { border-bottom:1px solid var(--line); }
.method { font:bold 11px ui-monospace,monospace; color:#fff; border-radius:4px; padding:3px 0; width:58px; text-align:center; flex:none; }
.method.get { background:var(--get); } .method.delete { background:var(--delete); } .method.other { background:#555; }
.path { font-family:ui-monospace,monospace; font-weight:600; }
.summary { color:var(--muted); overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.body { padding:12px 14px; }
.desc { white-space:pre-wrap; margin:0 0 10px; }
h4 { margin:14px 0 6px; font-size:13px; }
table { border-collapse:collapse; width:100%; }
td, th { text-align:left; vertical-align:top; padding:5px 8px; border-bottom:1px solid var(--line); }
th { font-size:12px; color:var(--muted); font-weight:600; }
td.name { font-family:ui-monospace,monospace; white-space:nowrap; }
.req { color:var(--delete); font-size:11px; }
.constraint { color:var(--muted); font-size:12px; }
td input, td select { width:100%; min-width:130px; max-width:260px; padding:5px 7px; border:1px solid var(--line); border-radius:5px; font:13px ui-monospace,monospace; }
button { background:var(--accent); color:#fff; border:0; border-radius:6px; padding:7px 16px; font-weight:600; cursor:pointer; }
button.secondary { background:#e3e7ef; color:var(--ink); }
.actions { display:flex; gap:8px; margin:10px 0; align-items:center; flex-wrap:wrap; }
.url { font:12px ui-monospace,monospace; background:#eef1f6; padding:6px 8px; border-radius:5px; word-break:break-all; }
pre { background:var(--code); color:var(--codeink); padding:10px 12px; border-radius:6px; overflow:auto; max-height:520px;
      font:12px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace; margin:6px 0; }
.k { color:#8fc1ff; } .s { color:#a6dba0; } .n { color:#f5c26b; } .b { color:#ff9e9e; } .z { color:#b39ddb; }
.status { font-weight:700; } .status.ok { color:var(--get); } .status.err { color:var(--delete); }
.responses details { margin:4px 0; }
.responses summary { cursor:pointer; }
.code { font:bold 12px ui-monospace,monospace; }
ul.schema { list-style:none; padding-left:16px; margin:2px 0; font-size:13px; }
ul.schema li { margin:1px 0; }
.fname { font-family:ui-monospace,monospace; }
.ftype { color:var(--accent); font-size:12px; }
.fdesc { color:var(--muted); font-size:12px; }
#error { color:var(--delete); white-space:pre-wrap; }
@media (max-width: 800px) { nav { display:none; } main { padding:10px; } }
</style>
</head>
<body>
<header><h1 id="title">API reference</h1><span class="version" id="version"></span>
<a href="/openapi.json">openapi.json</a></header>
<main>
<nav><input id="filter" type="search" placeholder="Filter routes" aria-label="Filter routes"><div id="toc"></div></nav>
<div id="content"><p id="intro"></p><p id="error"></p><div id="ops">Loading /openapi.json ...</div></div>
</main>
<script>
"use strict";
let spec = null;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function resolve(schema) {
  let s = schema || {};
  for (let i = 0; i < 8 && s.$ref; ++i) s = spec.components.schemas[s.$ref.split("/").pop()] || {};
  if (s.allOf && s.allOf.length === 1) return Object.assign({}, resolve(s.allOf[0]), { nullable: s.nullable || resolve(s.allOf[0]).nullable });
  return s;
}

function typeText(schema) {
  const raw = schema || {};
  const s = resolve(raw);
  let t = s.type || (s.oneOf ? s.oneOf.map(typeText).join(" | ") : "any");
  if (t === "array") t = "array of " + typeText(s.items);
  else if (t === "object" && s.additionalProperties && !s.properties) t = "map of " + typeText(s.additionalProperties);
  const ref = raw.$ref || (raw.allOf && raw.allOf[0] && raw.allOf[0].$ref);
  if (ref) t = ref.split("/").pop() + " (" + t + ")";
  if (s.enum) t += " one of " + s.enum.join(", ");
  if (s.nullable) t += " or null";
  return t;
}

function schemaTree(schema, depth) {
  const s = resolve(schema);
  if (depth > 6) return null;
  let target = s;
  if (s.type === "array") target = resolve(s.items);
  else if (s.type === "object" && s.additionalProperties && !s.properties) target = resolve(s.additionalProperties);
  if (!target.properties) return null;
  const required = new Set(target.required || []);
  const list = el("ul", { class: "schema" });
  for (const [name, child] of Object.entries(target.properties)) {
    const c = resolve(child);
    const item = el("li", {}, el("span", { class: "fname", text: name }), " ",
                    el("span", { class: "ftype", text: typeText(child) + (required.has(name) ? "" : ", optional") }));
    const text = child.description || c.description;
    if (text) item.append(" ", el("span", { class: "fdesc", text: "— " + text }));
    const sub = schemaTree(child, depth + 1);
    if (sub) item.append(sub);
    list.append(item);
  }
  return list;
}

// Pretty JSON with token colours, built from text nodes only.
function prettyJson(text) {
  let value;
  try { value = JSON.parse(text); } catch (e) { return el("pre", { text: text }); }
  const pretty = JSON.stringify(value, null, 2);
  const pre = el("pre");
  if (pretty.length > 300000) { pre.textContent = pretty; return pre; }
  const re = /("(?:\\.|[^"\\])*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|\b(true|false)\b|\b(null)\b/g;
  let last = 0, m;
  while ((m = re.exec(pretty)) !== null) {
    if (m.index > last) pre.append(pretty.slice(last, m.index));
    const cls = m[1] ? (m[2] ? "k" : "s") : m[3] ? "n" : m[4] ? "b" : "z";
    pre.append(el("span", { class: cls, text: m[1] || m[0] }));
    if (m[2]) pre.append(m[2]);
    last = re.lastIndex;
  }
  pre.append(pretty.slice(last));
  return pre;
}

function paramInput(p) {
  const s = resolve(p.schema);
  let input;
  if (s.enum || s.type === "boolean") {
    input = el("select");
    input.append(el("option", { value: "", text: p.required ? "(choose)" : "(not sent)" }));
    for (const v of (s.enum || ["true", "false"])) input.append(el("option", { value: String(v), text: String(v) }));
  } else {
    input = el("input", { type: "text", spellcheck: "false" });
    if (s.type === "integer" || s.type === "number") input.setAttribute("inputmode", "decimal");
  }
  if (s.default !== undefined) input.setAttribute("placeholder", "default " + s.default);
  else if (p.example !== undefined) input.setAttribute("placeholder", "e.g. " + p.example);
  input.dataset.name = p.name;
  input.dataset.in = p.in;
  return input;
}

function constraints(p) {
  const s = resolve(p.schema);
  const parts = [typeText(p.schema)];
  if (s.default !== undefined) parts.push("default " + JSON.stringify(s.default));
  if (s.minimum !== undefined) parts.push("min " + s.minimum);
  if (s.maximum !== undefined) parts.push("max " + s.maximum);
  if (s.pattern && !s.enum) parts.push("pattern " + s.pattern);
  return parts.join(" · ");
}

function buildUrl(path, inputs) {
  let url = path;
  const query = [];
  for (const input of inputs) {
    const v = input.value;
    if (input.dataset.in === "path") url = url.replace("{" + input.dataset.name + "}", encodeURIComponent(v).replace(/%3A/g, ":"));
    else if (v !== "") query.push(encodeURIComponent(input.dataset.name) + "=" + encodeURIComponent(v));
  }
  return url + (query.length ? "?" + query.join("&") : "");
}

async function tryIt(method, url, token, out) {
  out.replaceChildren(el("p", { text: "Sending " + method + " " + url + " ..." }));
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const started = performance.now();
  let response, text;
  try {
    response = await fetch(url, { method: method, headers: headers, redirect: "manual" });
    text = await response.text();
  } catch (e) {
    out.replaceChildren(el("p", { class: "status err", text: "Request failed: " + e }));
    return;
  }
  const ms = Math.round(performance.now() - started);
  const status = el("span", { class: "status " + (response.ok ? "ok" : "err"),
                              text: response.type === "opaqueredirect" ? "redirect" : response.status + " " + response.statusText });
  const hdrs = [];
  response.headers.forEach((v, k) => hdrs.push(k + ": " + v));
  out.replaceChildren(
    el("h4", {}, "Response ", status, el("span", { class: "constraint", text: "  " + ms + " ms · " + text.length + " bytes" })),
    el("details", {}, el("summary", { text: "Headers" }), el("pre", { text: hdrs.join("\n") })),
    prettyJson(text));
}

function operationCard(path, method, op) {
  const id = "op-" + method.toUpperCase() + "-" + path;
  const card = el("details", { class: "op", id: id });
  card.dataset.search = (method + " " + path + " " + (op.summary || "") + " " + (op.tags || []).join(" ")).toLowerCase();
  const m = method.toLowerCase();
  card.append(el("summary", {},
    el("span", { class: "method " + (m === "get" || m === "delete" ? m : "other"), text: method.toUpperCase() }),
    el("span", { class: "path", text: path }), el("span", { class: "summary", text: op.summary || "" })));
  const body = el("div", { class: "body" });
  card.append(body);
  let built = false;
  card.addEventListener("toggle", () => {
    if (card.open) history.replaceState(null, "", "#" + id);
    if (!card.open || built) return;
    built = true;
    if (op.description) body.append(el("p", { class: "desc", text: op.description }));
    const params = op.parameters || [];
    const inputs = [];
    if (params.length) {
      const table = el("table", {}, el("tr", {}, el("th", { text: "Parameter" }), el("th", { text: "Value" }), el("th", { text: "Description" })));
      for (const p of params) {
        const input = paramInput(p);
        inputs.push(input);
        table.append(el("tr", {},
          el("td", { class: "name" }, p.name + " ", el("span", { class: "req", text: p.required ? "required" : "" }),
             el("div", { class: "constraint", text: p.in })),
          el("td", {}, input),
          el("td", {}, p.description || "", el("div", { class: "constraint", text: constraints(p) }))));
      }
      body.append(el("h4", { text: "Parameters" }), table);
    }
    let tokenInput = null;
    if (op.security && op.security.length) {
      tokenInput = el("input", { type: "password", placeholder: "admin token", autocomplete: "off" });
      body.append(el("h4", { text: "Authorization (Bearer token)" }), tokenInput);
    }
    const urlBox = el("div", { class: "url" });
    const refreshUrl = () => {
      const url = buildUrl(path, inputs);
      let curl = "curl -s" + (method.toUpperCase() === "GET" ? "" : " -X " + method.toUpperCase());
      if (tokenInput) curl += " -H 'Authorization: Bearer <token>'";
      urlBox.textContent = curl + " '" + location.origin + url + "'";
      return url;
    };
    for (const input of inputs) input.addEventListener("input", refreshUrl);
    const out = el("div");
    const send = el("button", { type: "button", text: "Try it" });
    send.addEventListener("click", () => tryIt(method.toUpperCase(), refreshUrl(), tokenInput && tokenInput.value, out));
    const reset = el("button", { type: "button", class: "secondary", text: "Reset" });
    reset.addEventListener("click", () => { for (const i of inputs) i.value = ""; refreshUrl(); out.replaceChildren(); });
    body.append(el("div", { class: "actions" }, send, reset), urlBox, out);
    refreshUrl();

    const responses = el("div", { class: "responses" });
    for (const [code, r] of Object.entries(op.responses || {})) {
      const media = (r.content || {})["application/json"] || (r.content || {})["text/plain"] || (r.content || {})["text/html"];
      const item = el("details", {}, el("summary", {}, el("span", { class: "code", text: code }), " " + (r.description || "")));
      if (media && media.schema) {
        item.append(el("div", { class: "constraint", text: typeText(media.schema) }));
        const tree = schemaTree(media.schema, 0);
        if (tree) item.append(tree);
      }
      if (media && media.example !== undefined)
        item.append(el("div", { class: "constraint", text: "Example" }),
                    prettyJson(typeof media.example === "string" ? media.example : JSON.stringify(media.example)));
      responses.append(item);
    }
    body.append(el("h4", { text: "Responses" }), responses);
  });
  return card;
}

function render() {
  document.title = spec.info.title + " " + spec.info.version;
  document.getElementById("title").textContent = spec.info.title;
  document.getElementById("version").textContent = "v" + spec.info.version + " · OpenAPI " + spec.openapi;
  document.getElementById("intro").textContent = spec.info.description || "";
  const byTag = new Map();
  for (const t of spec.tags || []) byTag.set(t.name, { info: t, ops: [] });
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === "parameters") continue;
      const tag = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(tag)) byTag.set(tag, { info: { name: tag }, ops: [] });
      byTag.get(tag).ops.push([path, method, op]);
    }
  }
  const ops = document.getElementById("ops");
  const toc = document.getElementById("toc");
  ops.replaceChildren();
  toc.replaceChildren();
  for (const { info, ops: list } of byTag.values()) {
    if (!list.length) continue;
    const section = el("section", { class: "tag" }, el("h2", { text: info.name }));
    if (info.description) section.append(el("p", { text: info.description }));
    const group = el("div", { class: "group" }, el("h3", { text: info.name }));
    toc.append(group);
    for (const [path, method, op] of list) {
      const card = operationCard(path, method, op);
      section.append(card);
      const link = el("a", { href: "#" + card.id, text: method.toUpperCase() + " " + path, title: op.summary || "" });
      link.addEventListener("click", () => { card.open = true; });
      link.dataset.search = card.dataset.search;
      group.append(link);
    }
    ops.append(section);
  }
  if (location.hash) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) { target.open = true; target.scrollIntoView(); }
  }
}

document.getElementById("filter").addEventListener("input", (e) => {
  const q = e.target.value.toLowerCase();
  for (const node of document.querySelectorAll("details.op, nav a"))
    node.style.display = node.dataset.search.includes(q) ? "" : "none";
  // Hide the groups left empty.
  for (const group of document.querySelectorAll("section.tag, nav .group")) {
    const shown = [...group.querySelectorAll("details.op, a")].some((n) => n.style.display !== "none");
    group.style.display = shown ? "" : "none";
  }
});

fetch("/openapi.json").then((r) => {
  if (!r.ok) throw new Error("GET /openapi.json answered " + r.status);
  return r.json();
}).then((doc) => { spec = doc; render(); }).catch((e) => {
  document.getElementById("ops").textContent = "";
  document.getElementById("error").textContent = "Could not load the API description: " + e.message;
});
</script>
</body>
</html>
)HTML";

}  // namespace

std::string_view docs_page_html() { return kPage; }

http::Response docs_page_response() {
  static const auto body = std::make_shared<const std::string>(kPage);
  http::Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = body;
  response.headers.emplace_back("content-security-policy", std::string(kDocsPageCsp));
  response.headers.emplace_back("x-content-type-options", "nosniff");
  return response;
}

}  // namespace pnode::api
