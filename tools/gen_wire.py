#!/usr/bin/env python3
"""Generates the Connect API mapping's conversions from botocore's model of
Connect and the aws-sdk-connect sources:

* crates/connectql-shell/src/connect_api/shapes.rs
  - `ToWire` impls (typed SDK answer -> wire JSON under botocore member
    names) for every shape reachable from the answers of the read operations
    of the operation table, and for the output of every write operation;
  - `FromWire` impls (wire JSON -> typed SDK input, through the builders)
    for every shape reachable from the inputs of the write operations.
* crates/connectql-shell/src/connect_api/write_ops.rs
  - one row per write operation of the operation table
    (crates/connect-operations/src/lib.rs): its input members, which are
    required, and its limits; `write::write_table` makes of it the check of an
    input and the dispatch of `write::send`, which sets every input member on
    the SDK's input builder;
  - Connect's documented limits (botocore's `min`, `max` and `pattern`) of
    every shape reachable from the write inputs, as statics in shapes.rs.

The write operations are the table's rows that are not reads (the name does
not start with List, Describe, Search or Get, as `Operation::is_read`), so
adding a write operation is adding its row and re-running this script.

Usage (from the repository root; both inputs are read-only):

    python3 tools/gen_wire.py [<botocore data dir>/connect/2017-08-08 [<aws-sdk-connect src dir>]]

Without arguments it takes the model from the AWS CLI venv in
target/ci-venv and the SDK sources of the aws-sdk-connect version in
Cargo.lock from ~/.cargo/registry/src. It writes both files and formats
them with rustfmt; the output is ordinary Rust checked by the compiler.
Any member the SDK does not have under the expected name stops the script.
"""
import glob, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API_DIR = os.path.join(ROOT, "crates/connectql-shell/src/connect_api")
OPERATION_TABLE = os.path.join(ROOT, "crates/connect-operations/src/lib.rs")
REGENERATE = "python3 tools/gen_wire.py"

READ_PREFIXES = ("List", "Describe", "Search", "Get")
# Paging and bookkeeping members of read answers that nothing reads.
SKIP = {"NextToken", "ApproximateTotalCount", "LastModifiedTime", "LastModifiedRegion"}
RUST_KEYWORDS = {"type", "match", "ref", "use", "mod", "fn", "impl", "move", "loop", "as",
                 "break", "const", "continue", "crate", "else", "enum", "extern", "false",
                 "for", "if", "in", "let", "pub", "return", "self", "static", "struct",
                 "super", "trait", "true", "unsafe", "where", "while", "async", "await", "dyn"}


def default_inputs():
    models = glob.glob(os.path.join(
        ROOT, "target/ci-venv/lib/python3*/site-packages/**/botocore/data/connect/2017-08-08"),
        recursive=True)
    lock = open(os.path.join(ROOT, "Cargo.lock")).read()
    version = re.search(r'name = "aws-sdk-connect"\nversion = "([^"]+)"', lock).group(1)
    sdks = glob.glob(os.path.expanduser(f"~/.cargo/registry/src/*/aws-sdk-connect-{version}/src"))
    if not models or not sdks:
        raise SystemExit("botocore model or SDK sources not found; pass them as arguments")
    return models[0], sdks[0]


args = sys.argv[1:]
model_dir, sdk_src = (args + [None, None])[:2]
if model_dir is None or sdk_src is None:
    found_model, found_sdk = default_inputs()
    model_dir, sdk_src = model_dir or found_model, sdk_src or found_sdk
model = json.load(open(os.path.join(model_dir, "service-2.json")))
shapes = model["shapes"]


def snake(name):
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def field(member):
    f = snake(member)
    return "r#" + f if f in RUST_KEYWORDS else f


def table_operations():
    """Every operation of the table, in table order."""
    table = open(OPERATION_TABLE).read()
    return re.findall(r"^\s+([A-Z]\w+)\s+(?:GET|POST|PUT|DELETE|PATCH)\s+\"", table, re.M)


def read_operations():
    """The table's reads (as `Operation::is_read`), in table order."""
    return [op for op in table_operations() if op.startswith(READ_PREFIXES)]


def write_operations():
    """The table's operations that are not reads, in table order."""
    return [op for op in table_operations() if not op.startswith(READ_PREFIXES)]


def collect(root_shapes, skip=frozenset()):
    """Structures/unions and enums reachable from the members of `root_shapes`."""
    structs, enums, seen = {}, set(), set()

    def visit(shape_name):
        if shape_name in seen:
            return
        seen.add(shape_name)
        s = shapes[shape_name]
        t = s["type"]
        if t in ("structure", "union"):
            structs[shape_name] = s["members"]
            for m in s["members"].values():
                visit(m["shape"])
        elif t == "list":
            visit(s["member"]["shape"])
        elif t == "map":
            if "enum" in shapes[s["key"]["shape"]]:
                raise SystemExit(f"{shape_name}: maps with enum keys are not supported yet")
            visit(s["value"]["shape"])
        elif t == "string" and "enum" in s:
            enums.add(shape_name)
        elif t in ("blob", "document") or s.get("document"):
            raise SystemExit(f"{shape_name}: {t} members are not supported yet")

    for shape_name in root_shapes:
        for name, m in shapes[shape_name]["members"].items():
            if name not in skip:
                visit(m["shape"])
    return structs, enums


def sdk_text(path):
    return open(os.path.join(sdk_src, path)).read()


def type_file(type_name):
    return sdk_text(os.path.join("types", "_" + snake(type_name) + ".rs"))


def is_union(type_name):
    text = type_file(type_name)
    return "pub enum " in text and "pub struct" not in text


def check_setters(where, text, members):
    setters = set(re.findall(r"pub fn (set_\w+)\(", text))
    for member in members:
        setter = "set_" + snake(member)
        if setter not in setters:
            raise SystemExit(f"{where}.{member}: no {setter} in the SDK")


def fallible_build(text):
    """True when the builder's `build()` returns a Result (required members)."""
    return re.search(r"pub fn build\(\s*self,?\s*\)\s*->\s*::std::result::Result", text) is not None


def required(members_of_shape):
    return members_of_shape.get("required", [])


def braced(body):
    return "{ " + body + " }" if body else "{}"


def rust_list(names):
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


# ---- which shapes -------------------------------------------------------

writes = write_operations()
missing = [op for op in writes if op not in model["operations"]]
if missing:
    raise SystemExit(f"not in botocore's model: {missing}")

reads = read_operations()
missing = [op for op in reads if op not in model["operations"]]
if missing:
    raise SystemExit(f"not in botocore's model: {missing}")
read_structs, read_enums = collect([model["operations"][op]["output"]["shape"] for op in reads], SKIP)
write_outputs = {op: model["operations"][op].get("output", {}).get("shape") for op in writes}
out_structs, out_enums = collect([s for s in write_outputs.values() if s])
in_structs, in_enums = collect([model["operations"][op]["input"]["shape"] for op in writes])
to_wire_structs = {**read_structs, **out_structs}
to_wire_enums = read_enums | out_enums

# ---- shapes.rs ----------------------------------------------------------

uses_union = any(is_union(n) for n in to_wire_structs)
lines = [
    "// Generated by tools/gen_wire.py from botocore's Connect model: each",
    "// answer shape's members under their wire names. Do not edit by hand.",
    f"// Regenerate with `{REGENERATE}` (see its docstring).",
    "",
    "use aws_sdk_connect::types::*;",
    "",
    "use super::wire::{from_wire_enum, from_wire_struct%s, wire_enum, wire_struct%s};"
    "\nuse super::write::{Limits, Pattern, Shape};"
    % (", from_wire_union" if any(is_union(n) for n in in_structs) else "",
       ", wire_union" if uses_union else ""),
    "",
]
for name in sorted(to_wire_structs):
    text = type_file(name)
    fields = set(re.findall(r"^    pub (r#\w+|\w+): ", text, re.M))
    entries = [(member, field(member)) for member in to_wire_structs[name]]
    if is_union(name):
        variants = re.findall(r"^    (\w+)\(", text, re.M)
        body = ", ".join(f'"{m}" => {v}' for (m, _), v in zip(entries, variants) if v != "Unknown")
        lines.append(f"wire_union!({name} {braced(body)});")
    else:
        for member, f in entries:
            if f not in fields:
                raise SystemExit(f"{name}.{member}: no field {f} in the SDK type")
        body = ", ".join(f'"{m}" => {f}' for m, f in entries)
        lines.append(f"wire_struct!({name} {braced(body)});")
lines.append("")
lines.append("wire_enum!(" + ", ".join(sorted(to_wire_enums)) + ");")

lines += ["", "// The answers of the write operations.", ""]
for op in writes:
    module = snake(op)
    text = sdk_text(os.path.join("operation", module, f"_{module}_output.rs"))
    fields = set(re.findall(r"^    pub (r#\w+|\w+): ", text, re.M))
    members = shapes[write_outputs[op]]["members"] if write_outputs[op] else {}
    entries = [(member, field(member)) for member in members]
    for member, f in entries:
        if f not in fields:
            raise SystemExit(f"{op}Output.{member}: no field {f} in the SDK type")
    body = ", ".join(f'"{m}" => {f}' for m, f in entries)
    lines.append(f"wire_struct!(aws_sdk_connect::operation::{module}::{op}Output {braced(body)});")

lines += ["", "// The inputs of the write operations: wire JSON to the SDK's types.", ""]
for name in sorted(in_structs):
    members = in_structs[name]
    text = type_file(name)
    if is_union(name):
        variants = re.findall(r"^    (\w+)\(", text, re.M)
        pairs = [(m, v) for m, v in zip(members, variants) if v != "Unknown"]
        if len(pairs) != len(members):
            raise SystemExit(f"{name}: union members and SDK variants differ")
        body = ", ".join(f'"{m}" => {v}' for m, v in pairs)
        lines.append(f"from_wire_union!({name} {braced(body)});")
    else:
        check_setters(name, text, members)
        build = "checked" if fallible_build(text) else "built"
        body = ", ".join(f'"{m}" => set_{snake(m)}' for m in members)
        lines.append(
            f"from_wire_struct!({name}, {build} {braced(body)} required {rust_list(required(shapes[name]))});")
lines.append("")
lines.append("from_wire_enum!(" + ", ".join(sorted(in_enums)) + ");")


# ---- limits (shapes.rs) -------------------------------------------------
# botocore's `min`, `max` and `pattern` of every shape reachable from the
# write inputs, as statics `write::check` walks with the input. A shape is
# emitted only when it, or something inside it, has a limit.


def rust_str(text):
    if '"#' in text:
        raise SystemExit(f"pattern {text!r}: contains '\"#'")
    return 'r#"' + text + '"#'


def split_lookarounds(pattern, where):
    """The pattern as the regex crate runs it: (the pattern as meant, the
    regexes a value must match, those it must not match, a length (min,
    max) or None). The regex crate has no lookaround, so the leading
    lookaheads become checks of their own at the start of the value, the
    rest of the pattern first in `must`. A pattern written as a JavaScript
    literal (`/.../`) is unwrapped, and a doubly escaped class (`\\\\d`,
    `\\\\+`: a backslash, then the class) is read as the class it
    evidently means (as botocore's other phone patterns spell it)."""
    p = pattern
    if len(p) > 2 and p.startswith("/") and p.endswith("/"):
        p = p[1:-1]
    p = re.sub(r"\\\\(?=[dDsSwW+.])", r"\\", p)
    anchored = p.startswith("^")
    body = p[1:] if anchored else p
    must, must_not = [], []
    while body.startswith(("(?=", "(?!")):
        depth, i, end = 0, 0, None
        while i < len(body):
            c = body[i]
            if c == "\\":
                i += 2
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    end = i
                    break
            i += 1
        if end is None:
            raise SystemExit(f"{where}: unbalanced pattern {pattern!r}")
        (must if body[1:3] == "?=" else must_not).append("^(?:" + body[3:end] + ")")
        body = body[end + 1:]
        anchored = True  # the lookahead was at the start: so is the rest
    if re.search(r"\(\?<?[=!]", body):
        raise SystemExit(f"{where}: lookaround inside pattern {pattern!r} is not supported")
    rest = ("^" if anchored else "") + body
    # `^[class]{m,n}$` is a length: the regex crate would build a program
    # per repetition of a Unicode class (too big), and a length says so
    # plainly ("is 200 characters; Connect allows 1 to 127").
    length = re.fullmatch(r"\^(\[(?:\\.|[^\]\\])*\])\{(\d+),(\d+)\}\$", rest)
    if length:
        rest = "^" + length.group(1) + "*$"
        length = (int(length.group(2)), int(length.group(3)))
    return p, [rest] + must, must_not, length


def limits_of(s, where):
    fields = []
    lo, hi = s.get("min"), s.get("max")
    pattern = None
    if "pattern" in s and s["type"] == "string":
        pattern = split_lookarounds(s["pattern"], where)
        if pattern[3]:
            m, n = pattern[3]
            lo, hi = max(lo if lo is not None else m, m), min(hi if hi is not None else n, n)
    fields.append(f"min: {'None' if lo is None else f'Some({lo})'}")
    fields.append(f"max: {'None' if hi is None else f'Some({hi})'}")
    if pattern:
        shown, must, must_not, _ = pattern
        fields.append(
            "pattern: Some(Pattern::new(" + rust_str(shown) + ", &["
            + ", ".join(rust_str(x) for x in must) + "], &["
            + ", ".join(rust_str(x) for x in must_not) + "]))")
    else:
        fields.append("pattern: None")
    fields.append(f"sensitive: {'true' if s.get('sensitive') else 'false'}")
    return "Limits { " + ", ".join(fields) + " }"


def own_limits(s):
    if s["type"] == "string" and "enum" in s:
        return False  # its values are checked by name (FromWire)
    if s["type"] in ("float", "double"):
        return False  # a fraction's range (a proficiency's level) is Connect's to check
    return any(k in s for k in ("min", "max")) or (s["type"] == "string" and "pattern" in s)


limited = {}  # shape name -> True when it or something inside it has limits


def has_limits(name, stack=()):
    if name in limited:
        return limited[name]
    if name in stack:
        return False
    s = shapes[name]
    inner = []
    if s["type"] in ("structure", "union"):
        inner = [m["shape"] for m in s["members"].values()]
    elif s["type"] == "list":
        inner = [s["member"]["shape"]]
    elif s["type"] == "map":
        inner = [s["key"]["shape"], s["value"]["shape"]]
    result = own_limits(s)
    for i in inner:
        result = has_limits(i, stack + (name,)) or result
    limited[name] = result
    return result


def static_name(shape_name):
    return snake(shape_name).upper()


limit_statics = {}


def emit_limits(name):
    if name in limit_statics or not has_limits(name):
        return
    limit_statics[name] = None  # placed first: recursive shapes refer back
    s = shapes[name]
    t = s["type"]
    if t in ("structure", "union"):
        members = [(m, v["shape"]) for m, v in s["members"].items() if has_limits(v["shape"])]
        for _, target in members:
            emit_limits(target)
        body = ", ".join(f'("{m}", &{static_name(target)})' for m, target in members)
        value = f"Shape::Structure(&[{body}])"
    elif t == "list":
        target = s["member"]["shape"]
        emit_limits(target)
        element = f"Some(&{static_name(target)})" if has_limits(target) else "None"
        value = f"Shape::List({limits_of(s, name)}, {element})"
    elif t == "map":
        key, val = s["key"]["shape"], s["value"]["shape"]
        for x in (key, val):
            emit_limits(x)
        key_limits = f"Some(&{static_name(key)})" if has_limits(key) else "None"
        val_limits = f"Some(&{static_name(val)})" if has_limits(val) else "None"
        value = f"Shape::Map({limits_of(s, name)}, {key_limits}, {val_limits})"
    elif t == "string":
        value = f"Shape::Text({limits_of(s, name)})"
    elif t in ("integer", "long"):
        value = f"Shape::Number({limits_of(s, name)})"
    else:
        raise SystemExit(f"{name}: limits on a {t} are not supported")
    limit_statics[name] = value


input_limits = {}
for op in writes:
    shape = model["operations"][op]["input"]["shape"]
    emit_limits(shape)
    input_limits[op] = static_name(shape) if has_limits(shape) else None

lines += [
    "",
    "// Connect's documented limits (botocore's min, max and pattern) of the",
    "// write inputs; `write::check` walks an input with them.",
    "",
]
for name in sorted(limit_statics):
    lines.append(f"pub(super) static {static_name(name)}: Shape = {limit_statics[name]};")


shapes_rs = os.path.join(API_DIR, "shapes.rs")
open(shapes_rs, "w").write("\n".join(lines) + "\n")

# ---- write_ops.rs -------------------------------------------------------

ops = [
    f"// Generated by tools/gen_wire.py from botocore's Connect model and the",
    f"// operation table: one row per write operation. Do not edit by hand.",
    f"// Regenerate with `{REGENERATE}` (see its docstring).",
    "",
    "use super::write::write_table;",
    "use crate::catalog::Op;",
    "",
    "/// Every operation [`dispatch`] sends, in the operation table's order.",
    "pub const MAPPED: &[Op] = &[" + ", ".join(f"Op::{op}" for op in writes) + "];",
    "",
    "/// The input member carrying the operation's idempotency token, if any.",
    "pub fn idempotency_token(op: Op) -> Option<&'static str> {",
    "    match op {",
]
tokens = {}
for op in writes:
    members = shapes[model["operations"][op]["input"]["shape"]]["members"]
    for member, m in members.items():
        if m.get("idempotencyToken"):
            tokens.setdefault(member, []).append(op)
for member, token_ops in sorted(tokens.items()):
    ops.append("        " + " | ".join(f"Op::{op}" for op in token_ops) + f' => Some("{member}"),')
ops += [
    "        _ => None,",
    "    }",
    "}",
    "",
    "// Per operation: its SDK input, every input member and the required ones,",
    "// and its limits (see `write::write_table`, which makes `check_shape`,",
    "// `limits` and `dispatch` of this table).",
    "write_table! {",
]
for op in writes:
    module = snake(op)
    shape = shapes[model["operations"][op]["input"]["shape"]]
    members = shape["members"]
    check_setters(f"{op}Input", sdk_text(os.path.join("operation", module, f"_{module}_input.rs")), members)
    # One member a line: rustfmt leaves macro arguments as they are.
    body = "".join(f'\n        "{m}" => set_{snake(m)},' for m in members)
    body = "{" + body + "\n    }" if body else "{}"
    limits = f"Some(&super::shapes::{input_limits[op]})" if input_limits[op] else "None"
    ops.append(f"    {op} => {module}::{op}Input {body} required {rust_list(required(shape))} limits {limits};")
ops += [
    "}",
]
write_ops_rs = os.path.join(API_DIR, "write_ops.rs")
open(write_ops_rs, "w").write("\n".join(ops) + "\n")

subprocess.run(["rustfmt", "--edition", "2021", shapes_rs, write_ops_rs], check=True)
print(f"wrote {shapes_rs} and {write_ops_rs}: {len(writes)} write operations, "
      f"{len(in_structs)} input shapes, {len(in_enums)} input enums", file=sys.stderr)
