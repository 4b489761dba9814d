//! Context-sensitive completion, as a pure function of the buffer, the
//! cursor and the instances the session has seen. Everything it offers comes
//! from the catalog, the meta-command table and the session cache; it makes
//! no call and takes microseconds.
//!
//! The buffer may hold several statements; only the one under the cursor is
//! looked at, and all of it (a FROM clause after the cursor still tells which
//! fields to offer in the select list).

use std::sync::Arc;

use crate::catalog::{self, Scope, SqlVerb, Table, IDENTIFIER, INSTANCE_ID};
use crate::executor::{SeenInstance, SessionCache};

use super::lexer::{lex, Kind, Token};
use super::meta::{self, MetaArgs};

/// What the session has seen, for completing values inside strings.
pub trait Seen {
    fn instances(&self) -> Arc<[SeenInstance]>;
    /// Names of a resource type's items (`user` → usernames), sorted (byte
    /// order, as the session cache keeps them): completion binary-searches them.
    fn names(&self, resource: &'static str) -> Arc<[String]>;
}

impl Seen for SessionCache {
    fn instances(&self) -> Arc<[SeenInstance]> {
        self.seen_instances()
    }
    fn names(&self, resource: &'static str) -> Arc<[String]> {
        self.seen_names(resource)
    }
}

/// A fixed list of instances (tests and benchmarks).
impl Seen for Vec<SeenInstance> {
    fn instances(&self) -> Arc<[SeenInstance]> {
        Arc::from(self.clone())
    }
    fn names(&self, _: &'static str) -> Arc<[String]> {
        Arc::from(Vec::new())
    }
}

/// What starts a statement.
const STATEMENT_STARTS: [&str; 7] = [
    "SELECT",
    "UPDATE",
    "INSERT INTO",
    "DELETE FROM",
    "SHOW",
    "DESCRIBE",
    "EXPLAIN",
];
/// What EXPLAIN takes.
const EXPLAINABLE: [&str; 4] = ["SELECT", "UPDATE", "INSERT INTO", "DELETE FROM"];
const SHOW_WHAT: [&str; 3] = ["SERVICES", "RESOURCES", "METHODS"];

/// Functions worth offering where a value is expected.
const SELECT_FUNCTIONS: [&str; 10] = [
    "json_extract(",
    "json_array_length(",
    "count(",
    "lower(",
    "upper(",
    "coalesce(",
    "length(",
    "min(",
    "max(",
    "group_concat(",
];
const CONDITION_FUNCTIONS: [&str; 5] = [
    "json_extract(",
    "json_array_length(",
    "lower(",
    "upper(",
    "coalesce(",
];

/// Keywords after which an operand (a field, a value) is expected.
const OPERAND_EXPECTED: [&str; 23] = [
    "SELECT",
    "DISTINCT",
    "ALL",
    "WHERE",
    "AND",
    "OR",
    "NOT",
    "ON",
    "HAVING",
    "BY",
    "SET",
    "WHEN",
    "THEN",
    "ELSE",
    "CASE",
    "LIKE",
    "GLOB",
    "IN",
    "IS",
    "BETWEEN",
    "RETURNING",
    "EXISTS",
    "AS",
];

/// Words that end a table reference (so they are not an alias).
const NOT_ALIAS: [&str; 21] = [
    "WHERE",
    "JOIN",
    "LEFT",
    "RIGHT",
    "INNER",
    "OUTER",
    "CROSS",
    "NATURAL",
    "FULL",
    "ON",
    "USING",
    "ORDER",
    "GROUP",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "SET",
    "SELECT",
    "VALUES",
    "RETURNING",
    "UNION",
];

/// Completes `line` at byte position `pos`: the byte offset where the
/// replaced text starts, and the candidates (each replaces
/// `line[start..pos]`). A position that is not a char boundary is moved
/// back to one; a position past the end means the end.
pub fn complete(line: &str, pos: usize, seen: &dyn Seen) -> (usize, Vec<String>) {
    let pos = floor_boundary(line, pos);
    let before = &line[..pos];
    let btoks = lex(before);

    // The statement under the cursor starts after the last `;` before it.
    let first = btoks
        .iter()
        .rposition(|t| t.kind == Kind::Punct && t.text(before) == ";")
        .map_or(0, |i| i + 1);
    let stmt_start = if first == 0 { 0 } else { btoks[first - 1].end };
    let stoks = &btoks[first..];

    let lead = before[stmt_start..].trim_start();
    if lead.starts_with('.') || lead.starts_with('\\') {
        return complete_meta(line, pos - lead.len(), pos, seen);
    }

    let next_char = line[pos..].chars().next();
    // The whole statement, including what follows the cursor. When the
    // cursor is in a string still being typed, what follows is lexed on its
    // own (it is not part of that string).
    let in_open_string = matches!(
        stoks.last().map(|t| t.kind),
        Some(Kind::Str { closed: false })
    );
    let tokens: Vec<Token> = if in_open_string {
        let after = lex(&line[pos..]).into_iter().map(|t| Token {
            start: t.start + pos,
            end: t.end + pos,
            ..t
        });
        stoks.iter().copied().chain(after).collect()
    } else {
        lex(line)
    };
    let all: Vec<Token> = tokens
        .into_iter()
        .filter(|t| t.start >= stmt_start && t.is_significant())
        .take_while(|t| !(t.start >= pos && t.kind == Kind::Punct && t.text(line) == ";"))
        .collect();
    let Some(last) = stoks.last() else {
        return finish(pos, statement_start(""), Suffix::Space, next_char);
    };
    let (start, prefix, ctx_toks): (usize, &str, &[Token]) = match last.kind {
        Kind::Comment { closed } if !closed || last.text(before).starts_with("--") => {
            return (pos, Vec::new())
        }
        Kind::QuotedIdent { closed: false } | Kind::Number => return (pos, Vec::new()),
        Kind::Str { closed: false } => {
            let sig: Vec<Token> = stoks[..stoks.len() - 1]
                .iter()
                .filter(|t| t.is_significant())
                .copied()
                .collect();
            let regions = named_regions(line, &all, last.start);
            let stmt = Statement::read(line, &all);
            return complete_string(line, *last, pos, &sig, &stmt, seen, &regions, next_char);
        }
        Kind::Word => (last.start, last.text(before), &stoks[..stoks.len() - 1]),
        _ => (pos, "", stoks),
    };
    let sig: Vec<Token> = ctx_toks
        .iter()
        .filter(|t| t.is_significant())
        .copied()
        .collect();

    let stmt = Statement::read(line, &all);
    let ctx = Ctx {
        src: line,
        sig: &sig,
        stmt: &stmt,
    };
    let (cands, suffix) = ctx.candidates(prefix);
    // A qualified field (`i.reg`) replaces only the part after the dot.
    let start = match cands.qualified_at {
        Some(dot) => start + dot + 1,
        None => start,
    };
    finish(start, cands.items, suffix, next_char)
}

/// What to append when exactly one candidate is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    None,
    Space,
    Quote,
}

fn finish(
    start: usize,
    mut items: Vec<String>,
    suffix: Suffix,
    next_char: Option<char>,
) -> (usize, Vec<String>) {
    if items.len() == 1 {
        let item = &mut items[0];
        match suffix {
            Suffix::Space
                if !item.ends_with(['.', '(', ' '])
                    && !next_char.is_some_and(char::is_whitespace) =>
            {
                item.push(' ')
            }
            Suffix::Quote if next_char != Some('\'') => item.push('\''),
            _ => {}
        }
    }
    (start, items)
}

fn floor_boundary(s: &str, pos: usize) -> usize {
    let mut pos = pos.min(s.len());
    while !s.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// Most seen names offered at once: a longer list is narrowed by typing,
/// not read.
const MAX_NAMES: usize = 1000;

/// The ranges of `names` (sorted by bytes) whose items start with `prefix`
/// in any ASCII case, in order: narrowed one byte at a time by binary
/// search, one range per spelling of the prefix that some name has.
fn names_with_prefix(names: &[String], prefix: &str) -> Vec<(usize, usize)> {
    let mut ranges = vec![(0, names.len())];
    for (d, b) in prefix.bytes().enumerate() {
        let (lower, upper) = (b.to_ascii_lowercase(), b.to_ascii_uppercase());
        let spellings: &[u8] = if lower == upper {
            &[b]
        } else {
            &[upper, lower]
        };
        let mut next = Vec::with_capacity(ranges.len());
        for &(lo, hi) in &ranges {
            // The items of a range share their first d bytes, so they are
            // sorted by their byte d (a name that ends before it first).
            let items = &names[lo..hi];
            let at = |s: &String| s.as_bytes().get(d).copied();
            for &v in spellings {
                let start = lo + items.partition_point(|s| at(s) < Some(v));
                let end = lo + items.partition_point(|s| at(s) <= Some(v));
                if start < end {
                    next.push((start, end));
                }
            }
        }
        ranges = next;
        if ranges.is_empty() {
            break;
        }
    }
    ranges.retain(|&(lo, hi)| lo < hi);
    ranges.sort_unstable();
    ranges
}

/// ASCII-case-insensitive prefix test that never slices a `str`.
fn starts_with_ci(candidate: &str, prefix: &str) -> bool {
    candidate.len() >= prefix.len()
        && candidate.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// A keyword in the case the user is typing: lower case when the prefix
/// has letters and all are lower case, upper case otherwise.
fn keyword_case(prefix: &str, keyword: &str) -> String {
    let mut letters = prefix
        .chars()
        .filter(|c| c.is_ascii_alphabetic())
        .peekable();
    if letters.peek().is_some() && letters.all(|c| c.is_ascii_lowercase()) {
        keyword.to_ascii_lowercase()
    } else {
        keyword.to_ascii_uppercase()
    }
}

#[derive(Default)]
struct Candidates {
    items: Vec<String>,
    /// Set when the prefix is `qualifier.field`: offset of the dot in it.
    qualified_at: Option<usize>,
}

impl Candidates {
    fn add(&mut self, prefix: &str, item: &str) {
        if starts_with_ci(item, prefix) && !self.items.iter().any(|i| i.eq_ignore_ascii_case(item))
        {
            self.items.push(item.to_string());
        }
    }
    fn add_all<'a>(&mut self, prefix: &str, items: impl IntoIterator<Item = &'a str>) {
        for i in items {
            self.add(prefix, i);
        }
    }
    /// Seen names (sorted) starting with `prefix`, in their order: found by
    /// binary search, not by a scan, and at most [`MAX_NAMES`] of them, the
    /// last match always among them, so that the common prefix the editor
    /// inserts is that of every match (the first and last of a sorted list
    /// share what all share). A session may have seen 150,000 usernames.
    fn add_names(&mut self, prefix: &str, names: &[String]) {
        let ranges = names_with_prefix(names, prefix);
        let before = self.items.len();
        let last = ranges.last().map(|&(_, hi)| hi - 1);
        let firsts = ranges
            .iter()
            .flat_map(|&(lo, hi)| lo..hi)
            .take(MAX_NAMES - 1);
        let mut taken = None;
        for i in firsts.chain(last) {
            if taken == Some(i) {
                continue;
            }
            taken = Some(i);
            let name = names[i].as_str();
            // Names are unique; only what was offered before can repeat them.
            if !self.items[..before]
                .iter()
                .any(|x| x.eq_ignore_ascii_case(name))
            {
                self.items.push(name.to_string());
            }
        }
    }
    /// Functions: lower case unless the user types upper case.
    fn add_functions<'a>(&mut self, prefix: &str, functions: impl IntoIterator<Item = &'a str>) {
        let mut letters = prefix
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .peekable();
        let upper = letters.peek().is_some() && letters.all(|c| c.is_ascii_uppercase());
        for f in functions {
            if starts_with_ci(f, prefix) {
                let f = if upper {
                    f.to_ascii_uppercase()
                } else {
                    f.to_ascii_lowercase()
                };
                if !self.items.contains(&f) {
                    self.items.push(f);
                }
            }
        }
    }
    fn add_keywords<'a>(&mut self, prefix: &str, keywords: impl IntoIterator<Item = &'a str>) {
        for k in keywords {
            if starts_with_ci(k, prefix) {
                let k = keyword_case(prefix, k);
                if !self.items.contains(&k) {
                    self.items.push(k);
                }
            }
        }
    }
}

fn statement_start(prefix: &str) -> Vec<String> {
    let mut c = Candidates::default();
    c.add_keywords(prefix, STATEMENT_STARTS);
    if prefix.is_empty() {
        c.add_all(prefix, meta::COMMANDS.iter().map(|m| m.name));
    }
    c.items
}

/// Resource names, one dotted component at a time: `aws.`, `aws.connect.`,
/// then the resources. A bare `ins` also finds `aws.connect.instance`.
fn hierarchical(prefix: &str, names: &[&str]) -> Vec<String> {
    let mut c = Candidates::default();
    for n in names {
        if starts_with_ci(n, prefix) {
            let rest = &n[prefix.len()..];
            let item = match rest.find('.') {
                Some(i) => &n[..prefix.len() + i + 1],
                None => n,
            };
            c.add(prefix, item);
        }
    }
    if c.items.is_empty() && !prefix.is_empty() {
        for n in names {
            let last = n.rsplit('.').next().unwrap_or(n);
            if starts_with_ci(last, prefix) && !c.items.iter().any(|i| i == n) {
                c.items.push(n.to_string());
            }
        }
    }
    c.items
}

fn resource_ids() -> Vec<&'static str> {
    catalog::TABLES.iter().map(|t| t.id.as_str()).collect()
}

/// The tables a change statement can name (those with the method).
fn tables_for(verb: SqlVerb) -> Vec<&'static str> {
    catalog::TABLES
        .iter()
        .filter(|t| t.method_for(verb).is_some())
        .map(|t| t.id.as_str())
        .collect()
}

/// What the whole statement under the cursor names.
struct Statement {
    verb: Option<SqlVerb>,
    is_show: bool,
    resources: Vec<&'static Table>,
    aliases: Vec<(String, &'static Table)>,
}

fn is_word(t: Option<&Token>, src: &str, w: &str) -> bool {
    t.is_some_and(|t| t.kind == Kind::Word && t.text(src).eq_ignore_ascii_case(w))
}

fn is_punct(t: Option<&Token>, src: &str, p: &str) -> bool {
    t.is_some_and(|t| t.kind == Kind::Punct && t.text(src) == p)
}

fn word_in(t: Option<&Token>, src: &str, words: &[&str]) -> bool {
    t.is_some_and(|t| {
        t.kind == Kind::Word && words.iter().any(|w| t.text(src).eq_ignore_ascii_case(w))
    })
}

fn resource_at(t: Option<&Token>, src: &str) -> Option<&'static Table> {
    t.filter(|t| t.kind == Kind::Word)
        .and_then(|t| catalog::table(t.text(src)))
}

impl Statement {
    fn read(src: &str, all: &[Token]) -> Statement {
        let mut first = all.first();
        if is_word(first, src, "EXPLAIN") {
            first = all.get(1);
        }
        let verb = if is_word(first, src, "SELECT") {
            Some(SqlVerb::Select)
        } else if is_word(first, src, "INSERT") {
            Some(SqlVerb::Insert)
        } else if is_word(first, src, "UPDATE") {
            Some(SqlVerb::Update)
        } else if is_word(first, src, "DELETE") {
            Some(SqlVerb::Delete)
        } else {
            None
        };
        let mut s = Statement {
            verb,
            is_show: is_word(first, src, "SHOW"),
            resources: Vec::new(),
            aliases: Vec::new(),
        };
        for i in 0..all.len() {
            if !word_in(
                all.get(i),
                src,
                &[
                    "FROM", "JOIN", "UPDATE", "INTO", "DESCRIBE", "DESC", "EXTENDED", "IN",
                ],
            ) {
                continue;
            }
            let mut j = i + 1;
            while let Some(r) = resource_at(all.get(j), src) {
                if !s.resources.iter().any(|x| std::ptr::eq(*x, r)) {
                    s.resources.push(r);
                }
                j += 1;
                if is_word(all.get(j), src, "AS") {
                    j += 1;
                }
                if let Some(t) = all.get(j).filter(|t| t.kind == Kind::Word) {
                    if !word_in(Some(t), src, &NOT_ALIAS) && catalog::table(t.text(src)).is_none() {
                        s.aliases.push((t.text(src).to_string(), r));
                        j += 1;
                    }
                }
                if is_punct(all.get(j), src, ",") {
                    j += 1;
                } else {
                    break;
                }
            }
        }
        s
    }

    /// The tables whose fields to offer: those named, or all.
    fn field_sources(&self) -> Vec<&'static Table> {
        if self.resources.is_empty() {
            catalog::TABLES.iter().collect()
        } else {
            self.resources.clone()
        }
    }

    fn fields(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for r in self.field_sources() {
            for f in r.fields() {
                if !out.contains(&f.name) {
                    out.push(f.name);
                }
            }
        }
        out
    }

    /// Statement params (`data__Identifier`...) required by the methods the
    /// statement reaches, excluding those that belong in SET.
    fn where_params(&self) -> Vec<&'static str> {
        self.params(|p| p != "data__PatchDocument")
    }

    /// Params assigned in UPDATE's SET (`data__PatchDocument`).
    fn set_params(&self) -> Vec<&'static str> {
        self.params(|p| p == "data__PatchDocument")
    }

    fn params(&self, keep: impl Fn(&str) -> bool) -> Vec<&'static str> {
        let verb = self.verb.unwrap_or(SqlVerb::Select);
        let mut out = Vec::new();
        for t in self.field_sources() {
            if t.derived {
                // A derived table's params are declared with it, and only
                // offered in a statement that names it.
                if verb == SqlVerb::Select && !self.resources.is_empty() {
                    for (p, _) in catalog::derived::params(t.resource) {
                        if keep(p.name) && !out.contains(&p.name) {
                            out.push(p.name);
                        }
                    }
                }
                continue;
            }
            let methods = t.methods().filter(|m| m.verb == verb);
            let mut names: Vec<&'static str> =
                methods.flat_map(|m| m.required.iter().copied()).collect();
            // Tables inside an instance take the instance too.
            if verb == SqlVerb::Select && t.resource.scope == Scope::Instance {
                names.push(INSTANCE_ID);
            }
            for name in names {
                if let Some(p) = catalog::canonical_param(name) {
                    if keep(p) && !out.contains(&p) {
                        out.push(p);
                    }
                }
            }
        }
        out
    }

    fn alias(&self, name: &str) -> Option<&'static Table> {
        self.aliases
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(name))
            .map(|(_, r)| *r)
            .or_else(|| {
                catalog::TABLES
                    .iter()
                    .find(|t| t.name.eq_ignore_ascii_case(name) || t.id.eq_ignore_ascii_case(name))
            })
    }

    /// The table a column word (`u.username`, `username`) belongs to.
    fn table_of(&self, word: &str) -> Option<&'static Table> {
        let (qualifier, word) = match word.rsplit_once('.') {
            Some((q, w)) => (Some(q.rsplit('.').next().unwrap_or(q)), w),
            None => (None, word),
        };
        // An alias the statement does not define (yet) says nothing.
        match qualifier.and_then(|q| self.alias(q)) {
            Some(t) => Some(t),
            None => {
                // Singular and plural tables share a resource type.
                let tables = self.field_sources();
                let mut owners: Vec<&'static Table> = Vec::new();
                for t in tables.into_iter().filter(|t| t.field(word).is_some()) {
                    if !owners.iter().any(|o| std::ptr::eq(o.resource, t.resource)) {
                        owners.push(t);
                    }
                }
                (owners.len() == 1).then(|| owners[0])
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Clause {
    SelectList,
    Condition,
    OrderBy,
    GroupBy,
    Set,
    InsertColumns,
    Other,
}

struct Ctx<'a> {
    src: &'a str,
    /// Significant tokens of the statement before the word being completed.
    sig: &'a [Token],
    stmt: &'a Statement,
}

impl Ctx<'_> {
    fn tok(&self, back: usize) -> Option<&Token> {
        self.sig
            .len()
            .checked_sub(back + 1)
            .and_then(|i| self.sig.get(i))
    }
    fn word(&self, back: usize, w: &str) -> bool {
        is_word(self.tok(back), self.src, w)
    }
    fn word_in(&self, back: usize, words: &[&str]) -> bool {
        word_in(self.tok(back), self.src, words)
    }

    fn candidates(&self, prefix: &str) -> (Candidates, Suffix) {
        let n = self.sig.len();
        let mut c = Candidates::default();
        if n == 0 {
            c.items = statement_start(prefix);
            return (c, Suffix::Space);
        }
        // Names of resources.
        if self.word_in(0, &["FROM", "JOIN", "UPDATE", "INTO"]) {
            let names = match self.stmt.verb {
                _ if self.word(0, "UPDATE") => tables_for(SqlVerb::Update),
                _ if self.word(0, "INTO") => tables_for(SqlVerb::Insert),
                Some(SqlVerb::Delete) if self.word(0, "FROM") => tables_for(SqlVerb::Delete),
                _ => resource_ids(),
            };
            c.items = hierarchical(prefix, &names);
            return (c, Suffix::Space);
        }
        if self.word_in(0, &["DESCRIBE", "DESC"]) && n == 1 {
            c.add_keywords(prefix, ["EXTENDED"]);
            c.items.extend(hierarchical(prefix, &resource_ids()));
            return (c, Suffix::Space);
        }
        if self.word(0, "EXTENDED") && self.word_in(1, &["DESCRIBE", "DESC"]) {
            c.items = hierarchical(prefix, &resource_ids());
            return (c, Suffix::Space);
        }
        if self.stmt.is_show {
            match n {
                1 => c.add_keywords(prefix, SHOW_WHAT),
                2 => c.add_keywords(prefix, ["IN"]),
                3 if self.word(0, "IN") => {
                    c.items = if self.word(1, "RESOURCES") {
                        hierarchical(prefix, &[catalog::SERVICE_PATH])
                    } else if self.word(1, "METHODS") {
                        hierarchical(prefix, &resource_ids())
                    } else {
                        hierarchical(prefix, &[catalog::PROVIDER])
                    }
                }
                _ => {}
            }
            return (c, Suffix::Space);
        }
        if n == 1 && self.word(0, "EXPLAIN") {
            c.add_keywords(prefix, EXPLAINABLE);
            return (c, Suffix::Space);
        }
        if n == 1 && self.word(0, "DELETE") {
            c.add_keywords(prefix, ["FROM"]);
            return (c, Suffix::Space);
        }
        if n == 1 && self.word(0, "INSERT") {
            c.add_keywords(prefix, ["INTO"]);
            return (c, Suffix::Space);
        }
        if self.word_in(0, &["ORDER", "GROUP"]) {
            c.add_keywords(prefix, ["BY"]);
            return (c, Suffix::Space);
        }
        if self.word(0, "AS") {
            return (c, Suffix::None);
        }
        // Right after a table reference (and its alias).
        let table_back = if resource_at(self.tok(0), self.src).is_some() {
            Some(1)
        } else if resource_at(self.tok(1), self.src).is_some()
            && self.tok(0).is_some_and(|t| t.kind == Kind::Word)
            && !self.word_in(0, &NOT_ALIAS)
        {
            Some(2)
        } else if resource_at(self.tok(2), self.src).is_some() && self.word(1, "AS") {
            Some(3)
        } else {
            None
        };
        if let Some(back) = table_back {
            if self.word_in(back, &["FROM", "JOIN"]) {
                if back == 1 {
                    c.add_keywords(prefix, ["AS"]);
                }
                c.add_keywords(
                    prefix,
                    [
                        "WHERE",
                        "JOIN",
                        "LEFT JOIN",
                        "ON",
                        "ORDER BY",
                        "GROUP BY",
                        "LIMIT",
                    ],
                );
                return (c, Suffix::Space);
            }
            if self.word(back, "UPDATE") {
                c.add_keywords(prefix, ["SET"]);
                return (c, Suffix::Space);
            }
            if self.word(back, "INTO") {
                return (c, Suffix::None);
            }
        }

        // Fields: qualified by an alias first.
        if let Some(dot) = prefix.rfind('.') {
            let (qualifier, field) = (&prefix[..dot], &prefix[dot + 1..]);
            if let Some(r) = self.stmt.alias(qualifier) {
                c.add_all(field, r.fields().iter().map(|f| f.name));
                c.qualified_at = Some(dot);
            }
            return (c, Suffix::None);
        }

        let clause = self.clause();
        let after_operand = self.after_operand();
        let fields = self.stmt.fields();
        match (clause, after_operand) {
            (Clause::SelectList, false) => {
                c.add_all(prefix, fields);
                c.add_functions(prefix, SELECT_FUNCTIONS);
                if self.word(0, "SELECT") {
                    c.add_keywords(prefix, ["DISTINCT"]);
                }
                (c, Suffix::None)
            }
            (Clause::SelectList, true) => {
                c.add_keywords(prefix, ["FROM", "AS"]);
                (c, Suffix::Space)
            }
            (Clause::Condition, false) => {
                c.add_all(prefix, fields);
                c.add_all(prefix, self.stmt.where_params());
                c.add_functions(prefix, CONDITION_FUNCTIONS);
                c.add_keywords(prefix, ["NOT", "EXISTS"]);
                (c, Suffix::None)
            }
            (Clause::Condition, true) => {
                c.add_keywords(
                    prefix,
                    [
                        "AND", "OR", "IN", "LIKE", "GLOB", "IS", "NOT", "BETWEEN", "ORDER BY",
                        "GROUP BY", "LIMIT",
                    ],
                );
                (c, Suffix::Space)
            }
            (Clause::OrderBy | Clause::GroupBy, false) => {
                c.add_all(prefix, fields);
                c.add_functions(prefix, CONDITION_FUNCTIONS);
                (c, Suffix::None)
            }
            (Clause::OrderBy, true) => {
                c.add_keywords(prefix, ["ASC", "DESC", "LIMIT"]);
                (c, Suffix::Space)
            }
            (Clause::GroupBy, true) => {
                c.add_keywords(prefix, ["HAVING", "ORDER BY", "LIMIT"]);
                (c, Suffix::Space)
            }
            // A copy takes one assignment: the target's value becomes the
            // source's (`crate::copy`).
            (Clause::Set, false)
                if self
                    .stmt
                    .resources
                    .iter()
                    .any(|t| std::ptr::eq(t.resource, &catalog::derived::INSTANCE_DIFFERENCES)) =>
            {
                c.add_all(prefix, ["target_value", "source_value"]);
                (c, Suffix::None)
            }
            (Clause::Set, false) => {
                c.add_all(prefix, self.stmt.set_params());
                c.add_all(prefix, fields);
                (c, Suffix::None)
            }
            (Clause::Set, true) => {
                c.add_keywords(prefix, ["WHERE"]);
                (c, Suffix::Space)
            }
            (Clause::InsertColumns, _) => {
                for t in &self.stmt.resources {
                    c.add_all(
                        prefix,
                        t.resource.writable_properties().filter_map(|f| f.cfn),
                    );
                }
                c.add_all(prefix, [catalog::REGION]);
                (c, Suffix::None)
            }
            (Clause::Other, _) => (c, Suffix::None),
        }
    }

    /// The clause the cursor is in, walking back over balanced parentheses.
    fn clause(&self) -> Clause {
        let mut depth = 0usize;
        for i in (0..self.sig.len()).rev() {
            let t = &self.sig[i];
            let text = t.text(self.src);
            if t.kind == Kind::Punct {
                if text == ")" {
                    depth += 1;
                } else if text == "(" {
                    if depth == 0 {
                        let before = i.checked_sub(1).and_then(|j| self.sig.get(j));
                        let before2 = i.checked_sub(2).and_then(|j| self.sig.get(j));
                        if resource_at(before, self.src).is_some()
                            && is_word(before2, self.src, "INTO")
                        {
                            return Clause::InsertColumns;
                        }
                    } else {
                        depth -= 1;
                    }
                }
                continue;
            }
            if depth > 0 || t.kind != Kind::Word {
                continue;
            }
            match text.to_ascii_uppercase().as_str() {
                "SELECT" | "RETURNING" => return Clause::SelectList,
                "WHERE" | "ON" | "HAVING" => return Clause::Condition,
                "BY" => {
                    let order = i.checked_sub(1).and_then(|j| self.sig.get(j));
                    return if is_word(order, self.src, "GROUP") {
                        Clause::GroupBy
                    } else {
                        Clause::OrderBy
                    };
                }
                "SET" => return Clause::Set,
                "FROM" | "JOIN" | "UPDATE" | "INTO" | "LIMIT" | "OFFSET" | "VALUES"
                | "DESCRIBE" | "SHOW" => return Clause::Other,
                _ => {}
            }
        }
        Clause::Other
    }

    /// True when the previous token completes an operand (`region`,
    /// `'x'`, `)`), so an operator or keyword comes next.
    fn after_operand(&self) -> bool {
        let Some(t) = self.tok(0) else { return false };
        match t.kind {
            Kind::Word => !word_in(Some(t), self.src, &OPERAND_EXPECTED),
            Kind::Str { .. } | Kind::Number | Kind::QuotedIdent { .. } => true,
            Kind::Punct => match t.text(self.src) {
                ")" => true,
                "*" => {
                    self.word_in(1, &["SELECT", "DISTINCT"]) || is_punct(self.tok(1), self.src, ",")
                }
                _ => false,
            },
            _ => false,
        }
    }
}

/// Completion inside a quoted string: regions after `region =`, instances
/// after `data__InstanceId =` (and an instance's `data__Identifier =`),
/// names seen after a name field (`username = '`) or an item's
/// `data__Identifier =`, JSON paths in `json_extract(col, '$` or `col ->> '`.
#[allow(clippy::too_many_arguments)]
fn complete_string(
    line: &str,
    string: Token,
    pos: usize,
    sig: &[Token],
    stmt: &Statement,
    seen: &dyn Seen,
    regions: &[String],
    next_char: Option<char>,
) -> (usize, Vec<String>) {
    let start = string.start + 1;
    let prefix = &line[start..pos];
    let n = sig.len();
    let tok = |back: usize| n.checked_sub(back + 1).and_then(|i| sig.get(i));
    let word = |t: Option<&Token>| -> Option<String> {
        t.filter(|t| t.kind == Kind::Word)
            .map(|t| t.text(line).to_string())
    };
    let last_part = |w: &str| w.rsplit('.').next().unwrap_or("").to_string();

    // The column the string is compared with: `col = '`, `col IN ('a', '`.
    let mut column: Option<String> = None;
    let mut json_target: Option<String> = None;
    if tok(0).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text(line), "=" | "==")) {
        column = word(tok(1));
    } else if tok(0).is_some_and(|t| t.kind == Kind::Punct && matches!(t.text(line), "->" | "->>"))
    {
        json_target = word(tok(1));
    } else if is_punct(tok(0), line, "(") || is_punct(tok(0), line, ",") {
        let mut back = 0;
        while is_punct(tok(back), line, ",")
            && tok(back + 1).is_some_and(|t| matches!(t.kind, Kind::Str { .. }))
        {
            back += 2;
        }
        if is_punct(tok(back), line, "(") && is_word(tok(back + 1), line, "IN") {
            column = word(tok(back + 2));
        }
        if is_punct(tok(0), line, ",")
            && is_punct(tok(2), line, "(")
            && word_in(
                tok(3),
                line,
                &["json_extract", "json_type", "json_each", "json_tree"],
            )
        {
            json_target = word(tok(1));
        }
    }

    let mut c = Candidates::default();
    let mut start = start;
    if let Some(target) = json_target {
        let field = stmt
            .table_of(&target)
            .and_then(|t| t.field(&last_part(&target)));
        if let Some(f) = field {
            let paths: Vec<String> = f.json_paths.iter().map(|p| format!("${p}")).collect();
            if let Some(rest) = prefix.strip_prefix("$.") {
                // `'$.` typed: complete the member name in place.
                start += 2;
                let members: Vec<&str> =
                    paths.iter().filter_map(|p| p.strip_prefix("$.")).collect();
                c.add_all(rest, members);
            } else {
                c.add_all(prefix, paths.iter().map(String::as_str));
            }
        }
    } else if let Some(col) = column {
        let name = last_part(&col);
        let instances = || {
            // Instances of the regions the statement names, if it names
            // any that this session has seen instances in.
            let all = seen.instances();
            let in_regions: Vec<SeenInstance> = all
                .iter()
                .filter(|s| regions.contains(&s.region))
                .cloned()
                .collect();
            if in_regions.is_empty() {
                all.to_vec()
            } else {
                in_regions
            }
        };
        let offer_instances = |c: &mut Candidates, arns_only: bool| {
            let seen = instances();
            if !arns_only {
                c.add_all(prefix, seen.iter().filter_map(|s| s.alias.as_deref()));
                c.add_all(prefix, seen.iter().map(|s| s.id.as_str()));
            }
            c.add_all(prefix, seen.iter().filter_map(|s| s.arn.as_deref()));
        };
        let param = catalog::canonical_param(&name);
        // A param of a derived table the statement names.
        let derived_takes = stmt
            .resources
            .iter()
            .flat_map(|t| catalog::derived::params(t.resource))
            .find(|(p, _)| {
                p.name.eq_ignore_ascii_case(&name)
                    || p.synonyms.iter().any(|s| s.eq_ignore_ascii_case(&name))
            })
            .map(|(_, takes)| takes);
        if name.eq_ignore_ascii_case(catalog::REGION) {
            c.add_all(prefix, catalog::CONNECT_REGIONS);
        } else if param == Some(catalog::PROFILE)
            || derived_takes == Some(catalog::derived::Takes::Profile)
        {
            // The profiles of the AWS config files, as the session read them.
            c.add_names(prefix, &seen.names(catalog::PROFILE));
        } else if param == Some(INSTANCE_ID)
            || derived_takes == Some(catalog::derived::Takes::Instance)
        {
            offer_instances(&mut c, false);
        } else if name.eq_ignore_ascii_case(catalog::INSTANCE_ARN) {
            offer_instances(&mut c, true);
        } else if name.eq_ignore_ascii_case(catalog::INSTANCE_ALIAS) {
            // Every table's instance_alias (the instances' own too).
            let seen = instances();
            c.add_all(prefix, seen.iter().filter_map(|s| s.alias.as_deref()));
        } else if param == Some(IDENTIFIER) {
            // An instance's identifier, or the names of the items of the
            // tables the statement reads.
            let tables = stmt.field_sources();
            if stmt.resources.is_empty()
                || tables.iter().any(|t| t.resource.scope == Scope::Account)
            {
                offer_instances(&mut c, false);
            }
            for t in tables
                .iter()
                .filter(|t| t.resource.scope == Scope::Instance)
            {
                if !stmt.resources.is_empty() {
                    c.add_names(prefix, &seen.names(t.resource.singular));
                }
            }
        } else if let Some(t) = stmt.table_of(&col) {
            if t.resource.name_field.eq_ignore_ascii_case(&name) {
                c.add_names(prefix, &seen.names(t.resource.singular));
            }
        }
    }
    finish(start, c.items, Suffix::Quote, next_char)
}

/// The regions a statement names in `region = '..'` or `region IN ('..', ..)`,
/// leaving out the string that starts at `skip` (the one being completed).
fn named_regions(src: &str, all: &[Token], skip: usize) -> Vec<String> {
    let mut out = Vec::new();
    let literal = |t: &Token| -> Option<String> {
        (matches!(t.kind, Kind::Str { closed: true }) && t.start != skip)
            .then(|| t.text(src).trim_matches('\'').to_ascii_lowercase())
    };
    for (i, t) in all.iter().enumerate() {
        let is_region = t.kind == Kind::Word
            && t.text(src)
                .rsplit('.')
                .next()
                .is_some_and(|p| p.eq_ignore_ascii_case(catalog::REGION));
        if !is_region {
            continue;
        }
        if is_punct(all.get(i + 1), src, "=") {
            out.extend(all.get(i + 2).and_then(literal));
        } else if is_word(all.get(i + 1), src, "IN") && is_punct(all.get(i + 2), src, "(") {
            let mut j = i + 3;
            while let Some(t) = all.get(j) {
                if let Some(r) = literal(t) {
                    out.push(r);
                } else if !is_punct(Some(t), src, ",") {
                    break;
                }
                j += 1;
            }
        }
    }
    out
}

/// Completion of a meta-command line: the command, then its argument (for
/// a list of regions or profiles, the name after the last comma).
fn complete_meta(line: &str, start: usize, pos: usize, seen: &dyn Seen) -> (usize, Vec<String>) {
    let text = &line[start..pos];
    let next_char = line[pos..].chars().next();
    match text.find(char::is_whitespace) {
        None => {
            let mut c = Candidates::default();
            c.add_all(text, meta::COMMANDS.iter().map(|m| m.name));
            if c.items.is_empty() {
                c.add_all(text, meta::all_names());
            }
            let takes_args = c.items.len() == 1
                && meta::lookup(&c.items[0]).is_some_and(|m| m.args != MetaArgs::None);
            finish(
                start,
                c.items,
                if takes_args {
                    Suffix::Space
                } else {
                    Suffix::None
                },
                next_char,
            )
        }
        Some(end) => {
            let name = &text[..end];
            let arg = text[end..].trim_start();
            let exact = meta::COMMANDS.iter().find(|m| {
                m.name.eq_ignore_ascii_case(name)
                    || m.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
            });
            let Some(cmd) = exact else {
                return (pos, Vec::new());
            };
            let list = matches!(cmd.args, MetaArgs::Region | MetaArgs::Profile);
            let (arg, first) = match arg.rfind([',', ' ', '\t']) {
                Some(i) if list => (arg[i + 1..].trim_start(), false),
                Some(_) => return (pos, Vec::new()),
                None => (arg, true),
            };
            let mut c = Candidates::default();
            if first {
                c.add_all(arg, cmd.args.candidates());
            } else if cmd.args == MetaArgs::Region {
                // `all` and `default` stand alone.
                c.add_all(arg, catalog::CONNECT_REGIONS);
            }
            if cmd.args == MetaArgs::Profile {
                c.add_all(arg, seen.names(catalog::PROFILE).iter().map(String::as_str));
                if !first {
                    c.items.retain(|i| i != meta::RESET);
                }
            }
            (pos - arg.len(), c.items)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen() -> Vec<SeenInstance> {
        vec![
            SeenInstance {
                region: "us-east-1".into(),
                id: "11111111-aaaa-4bbb-8ccc-000000000001".into(),
                arn: Some("arn:aws:connect:us-east-1:123456789012:instance/11111111-aaaa-4bbb-8ccc-000000000001".into()),
                alias: Some("acme-support".into()),
            },
            SeenInstance {
                region: "us-east-1".into(),
                id: "22222222-aaaa-4bbb-8ccc-000000000002".into(),
                arn: None,
                alias: Some("acme-sales".into()),
            },
            SeenInstance {
                region: "eu-west-2".into(),
                id: "33333333-aaaa-4bbb-8ccc-000000000003".into(),
                arn: None,
                alias: None,
            },
        ]
    }

    #[test]
    fn profiles_are_offered_after_dot_profile() {
        let cache = SessionCache::new(true);
        cache.see_names(catalog::PROFILE, ["dev", "prod", "demo-dev"]);
        let offered = |line: &str| complete(line, line.len(), &cache);
        assert_eq!(offered(".profile ").1, ["reset", "demo-dev", "dev", "prod"]);
        assert_eq!(offered(".profile de").1, ["demo-dev", "dev"]);
        // After a comma: the next name (blanks allowed), never `reset`.
        let (start, c) = offered(".profile dev, pr");
        assert_eq!((start, c), (14, vec!["prod".to_string()]));
        assert!(offered(".profile dev,re").1.is_empty());
        assert_eq!(
            offered(".region us-east-1 ").1.len(),
            catalog::CONNECT_REGIONS.len()
        );
    }

    #[test]
    fn seen_names_by_prefix_in_any_case_and_at_most_max_names() {
        let mut names: Vec<String> = [
            "Agent-7", "agent-1", "agent-2", "AGENT-3", "alice", "bob", "b",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        names.sort();
        let matching = |prefix: &str| {
            let mut c = Candidates::default();
            c.add_names(prefix, &names);
            c.items
        };
        // In the names' (byte) order, whatever the case typed.
        assert_eq!(
            matching("agent-"),
            ["AGENT-3", "Agent-7", "agent-1", "agent-2"]
        );
        assert_eq!(matching("AgEnT-2"), ["agent-2"]);
        assert_eq!(matching("b"), ["b", "bob"]);
        assert_eq!(matching(""), names);
        assert!(matching("agents").is_empty() && matching("c").is_empty());
        // The same as a scan with starts_with_ci, at every prefix of every name.
        for n in &names {
            for end in 0..=n.len() {
                let prefix = &n[..end];
                let scan: Vec<&String> =
                    names.iter().filter(|x| starts_with_ci(x, prefix)).collect();
                assert_eq!(
                    matching(prefix).iter().collect::<Vec<_>>(),
                    scan,
                    "{prefix}"
                );
            }
        }
        // Many names: the first MAX_NAMES - 1 and the last.
        let many: Vec<String> = (0..5000).map(|i| format!("agent-{i:04}")).collect();
        let mut c = Candidates::default();
        c.add_names("AGENT-", &many);
        assert_eq!(c.items.len(), MAX_NAMES);
        assert_eq!(c.items[MAX_NAMES - 2], "agent-0998");
        assert_eq!(c.items[MAX_NAMES - 1], "agent-4999");
        // Not repeating what was offered before them.
        let mut c = Candidates::default();
        c.add("", "agent-0001");
        c.add_names("agent-000", &many);
        assert_eq!(c.items.len(), 10);
    }

    #[test]
    fn profiles_are_offered_inside_profile_strings() {
        let cache = SessionCache::new(true);
        cache.see_names(catalog::PROFILE, ["dev", "prod", "demo-dev"]);
        let line = "SELECT 1 FROM aws.connect.instances WHERE profile IN ('dev', 'pr";
        let (_, c) = complete(line, line.len(), &cache);
        assert_eq!(c, ["prod'"]);
        let line = "SELECT 1 FROM aws.connect.instances WHERE i.profile = '";
        let (_, mut c) = complete(line, line.len(), &cache);
        c.sort();
        assert_eq!(c, ["demo-dev", "dev", "prod"]);
    }

    #[test]
    fn instance_differences_offers_its_own_params_only_there() {
        let diff = "SELECT * FROM aws.connect.instance_differences WHERE ";
        let c = cands(diff);
        for p in &catalog::derived::DIFFERENCE_PARAMS {
            assert!(c.iter().any(|x| x == p.name), "{} in {c:?}", p.name);
        }
        // Not an instance's contents table: no data__InstanceId.
        assert!(!c.iter().any(|x| x == INSTANCE_ID), "{c:?}");
        assert_eq!(
            applied(&format!("{diff}source_pr")),
            format!("{diff}source_profile")
        );
        // Another table, or none named: not offered.
        for other in ["SELECT * FROM aws.connect.queues WHERE ", "SELECT * WHERE "] {
            assert!(
                !cands(other).iter().any(|x| x == "data__SourceInstanceId"),
                "{other}"
            );
        }
        // Their values: instances, and profiles.
        let c = cands(&format!("{diff}data__TargetInstanceId = 'acme-s"));
        assert_eq!(c, ["acme-support", "acme-sales"]);
        let cache = SessionCache::new(true);
        cache.see_names(catalog::PROFILE, ["dev", "prod"]);
        let line = format!("{diff}target_profile = 'pr");
        assert_eq!(complete(&line, line.len(), &cache).1, ["prod'"]);
    }

    /// Completes at the `|` marker (or the end) and returns the candidates.
    fn at(input: &str) -> (usize, Vec<String>) {
        let pos = input.find('|').unwrap_or(input.len());
        let line = input.replacen('|', "", 1);
        complete(&line, pos, &seen())
    }

    fn cands(input: &str) -> Vec<String> {
        at(input).1
    }

    /// The line after applying the single candidate.
    fn applied(input: &str) -> String {
        let pos = input.find('|').unwrap_or(input.len());
        let line = input.replacen('|', "", 1);
        let (start, c) = complete(&line, pos, &seen());
        assert_eq!(c.len(), 1, "{input:?}: {c:?}");
        format!("{}{}{}", &line[..start], c[0], &line[pos..])
    }

    #[test]
    fn empty_buffer_offers_statements_and_meta_commands() {
        let c = cands("");
        for k in [
            "SELECT",
            "UPDATE",
            "INSERT INTO",
            "DELETE FROM",
            "SHOW",
            "DESCRIBE",
            "EXPLAIN",
            ".help",
            ".quit",
        ] {
            assert!(c.iter().any(|x| x == k), "{k} missing from {c:?}");
        }
        assert_eq!(cands("   "), c);
    }

    #[test]
    fn statement_start_in_the_typed_case() {
        assert_eq!(applied("SEL"), "SELECT ");
        assert_eq!(applied("sel"), "select ");
        assert_eq!(cands("s"), ["select", "show"]);
        assert_eq!(applied("ins"), "insert into ");
        assert_eq!(applied("Del"), "DELETE FROM ");
        assert_eq!(cands("d"), ["delete from", "describe"]);
        // After a complete statement, a new one starts.
        assert_eq!(applied("SELECT 1; sh"), "SELECT 1; show ");
    }

    #[test]
    fn resources_one_component_at_a_time() {
        assert_eq!(applied("SELECT * FROM "), "SELECT * FROM aws.");
        assert_eq!(
            applied("SELECT * FROM aws.con"),
            "SELECT * FROM aws.connect."
        );
        assert_eq!(
            cands("SELECT * FROM aws.connect.ins"),
            [
                "aws.connect.instance",
                "aws.connect.instances",
                "aws.connect.instance_storage_config",
                "aws.connect.instance_storage_configs",
                "aws.connect.instance_differences"
            ]
        );
        assert_eq!(
            at("SELECT * FROM aws.connect.ins").0,
            "SELECT * FROM ".len()
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances"),
            "SELECT * FROM aws.connect.instances "
        );
        assert_eq!(
            applied("select * from AWS.CONNECT.INSTANCES"),
            "select * from aws.connect.instances "
        );
        assert_eq!(cands("SELECT * FROM ins").len(), 5);
        // Change statements offer the tables that have the method.
        assert_eq!(cands("UPDATE aws.connect."), ["aws.connect.instance "]);
        assert_eq!(
            cands("DELETE FROM aws.connect."),
            ["aws.connect.instances "]
        );
        assert!(cands("UPDATE aws.connect.instance_").is_empty());
        assert_eq!(
            cands("DELETE FROM aws.connect.instances"),
            ["aws.connect.instances "]
        );
        assert_eq!(applied("INSERT INTO aws"), "INSERT INTO aws.");
        assert_eq!(cands("SELECT * FROM x JOIN aws.connect.i").len(), 7);
    }

    #[test]
    fn describe_show_and_explain() {
        assert_eq!(cands("DESCRIBE "), ["EXTENDED", "aws."]);
        assert_eq!(applied("describe ext"), "describe extended ");
        assert_eq!(
            applied("DESCRIBE EXTENDED aws.connect.instances"),
            "DESCRIBE EXTENDED aws.connect.instances "
        );
        assert_eq!(cands("SHOW "), ["SERVICES", "RESOURCES", "METHODS"]);
        assert_eq!(applied("SHOW RESOURCES "), "SHOW RESOURCES IN ");
        assert_eq!(applied("SHOW RESOURCES IN "), "SHOW RESOURCES IN aws.");
        assert_eq!(
            applied("SHOW RESOURCES IN aws."),
            "SHOW RESOURCES IN aws.connect "
        );
        let c = cands("SHOW METHODS IN aws.connect.");
        assert_eq!(c.len(), catalog::TABLES.len());
        assert_eq!(&c[..2], ["aws.connect.instance", "aws.connect.instances"]);
        assert_eq!(
            cands("SHOW METHODS IN aws.connect.users"),
            ["aws.connect.users "]
        );
        assert_eq!(
            cands("EXPLAIN "),
            ["SELECT", "UPDATE", "INSERT INTO", "DELETE FROM"]
        );
        assert_eq!(applied("explain sel"), "explain select ");
        assert_eq!(applied("DELETE "), "DELETE FROM ");
        assert_eq!(applied("INSERT "), "INSERT INTO ");
    }

    #[test]
    fn select_list_fields_even_when_from_comes_later() {
        assert_eq!(applied("SELECT instance_al"), "SELECT instance_alias");
        assert_eq!(
            applied("SELECT id, instance_al"),
            "SELECT id, instance_alias"
        );
        assert_eq!(
            applied("SELECT instance_al| FROM aws.connect.instances WHERE region = 'us-east-1';"),
            "SELECT instance_alias FROM aws.connect.instances WHERE region = 'us-east-1';"
        );
        let c = cands("SELECT | FROM aws.connect.instances");
        assert_eq!(&c[..5], ["region", "profile", "account_id", "id", "arn"]);
        assert!(c.iter().any(|x| x == "json_extract("));
        assert!(c.iter().any(|x| x == "DISTINCT"));
        // Fields come before keywords and functions.
        let first_kw = c.iter().position(|x| x == "json_extract(").unwrap();
        assert!(c.iter().position(|x| x == "tags").unwrap() < first_kw);
        // Without FROM, the fields of every resource.
        let c = cands("SELECT i");
        for f in [
            "id",
            "instance_alias",
            "instance_arn",
            "identity_info",
            "is_default",
        ] {
            assert!(c.iter().any(|x| x == f), "{f}: {c:?}");
        }
        assert_eq!(cands("SELECT * "), ["FROM", "AS"]);
        assert_eq!(applied("SELECT id f"), "SELECT id from ");
        assert_eq!(applied("SELECT id F"), "SELECT id FROM ");
        assert_eq!(applied("SELECT JSON_E"), "SELECT JSON_EXTRACT(");
        assert_eq!(
            applied("SELECT count(*), max(created_t"),
            "SELECT count(*), max(created_time"
        );
    }

    #[test]
    fn where_offers_fields_then_params() {
        let c = cands("SELECT * FROM aws.connect.instance WHERE ");
        assert_eq!(c[0], "region");
        let ident = c.iter().position(|x| x == "data__Identifier").unwrap();
        assert!(c.iter().position(|x| x == "tags").unwrap() < ident);
        assert_eq!(
            applied("SELECT * FROM aws.connect.instance WHERE data__I"),
            "SELECT * FROM aws.connect.instance WHERE data__Identifier"
        );
        // ListInstances needs no identifier.
        assert!(!cands("SELECT * FROM aws.connect.instances WHERE ")
            .iter()
            .any(|x| x == "data__Identifier"));
        // No resource named yet: every param.
        assert!(cands("SELECT * WHERE da")
            .iter()
            .any(|x| x == "data__Identifier"));
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances WHERE region = 'x' an"),
            "SELECT * FROM aws.connect.instances WHERE region = 'x' and "
        );
        let c = cands("SELECT * FROM aws.connect.instances WHERE region ");
        assert!(
            c.contains(&"IN".to_string()) && c.contains(&"LIKE".to_string()),
            "{c:?}"
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances WHERE region = 'x' AND instance_st"),
            "SELECT * FROM aws.connect.instances WHERE region = 'x' AND instance_status"
        );
        assert!(cands("DELETE FROM aws.connect.instances WHERE ")
            .iter()
            .any(|x| x == "data__Identifier"));
    }

    #[test]
    fn order_group_set_and_insert_columns() {
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances ORDER "),
            "SELECT * FROM aws.connect.instances ORDER BY "
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances ORDER BY created_"),
            "SELECT * FROM aws.connect.instances ORDER BY created_time"
        );
        assert_eq!(
            cands("SELECT * FROM aws.connect.instances ORDER BY id "),
            ["ASC", "DESC", "LIMIT"]
        );
        assert_eq!(
            applied("SELECT region, count(*) FROM aws.connect.instances GROUP BY reg"),
            "SELECT region, count(*) FROM aws.connect.instances GROUP BY region"
        );
        assert_eq!(
            applied("UPDATE aws.connect.instance "),
            "UPDATE aws.connect.instance SET "
        );
        let c = cands("UPDATE aws.connect.instance SET ");
        assert_eq!(c[0], "data__PatchDocument");
        assert_eq!(
            cands("UPDATE aws.connect.instance_differences SET "),
            ["target_value", "source_value"]
        );
        assert_eq!(
            applied("UPDATE aws.connect.instance_differences SET target_value = so"),
            "UPDATE aws.connect.instance_differences SET target_value = source_value"
        );
        assert_eq!(
            applied("UPDATE aws.connect.instance SET data__P"),
            "UPDATE aws.connect.instance SET data__PatchDocument"
        );
        assert_eq!(
            cands("INSERT INTO aws.connect.instances ("),
            catalog::table("aws.connect.instances")
                .unwrap()
                .resource
                .writable_properties()
                .filter_map(|f| f.cfn)
                .chain(["region"])
                .collect::<Vec<_>>()
        );
        assert_eq!(
            applied("INSERT INTO aws.connect.instances (IdentityManagementType, Inst"),
            "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias"
        );
        assert_eq!(
            cands("SELECT * FROM aws.connect.instances "),
            [
                "AS",
                "WHERE",
                "JOIN",
                "LEFT JOIN",
                "ON",
                "ORDER BY",
                "GROUP BY",
                "LIMIT"
            ]
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances i wh"),
            "SELECT * FROM aws.connect.instances i where "
        );
    }

    #[test]
    fn alias_qualified_fields() {
        assert_eq!(
            applied("SELECT i.instance_al| FROM aws.connect.instances i"),
            "SELECT i.instance_alias FROM aws.connect.instances i"
        );
        let (start, c) = at("SELECT a.| FROM aws.connect.instances AS a");
        assert_eq!(start, "SELECT a.".len());
        assert_eq!(
            c.len(),
            catalog::table("aws.connect.instances")
                .unwrap()
                .fields()
                .len()
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances i JOIN aws.connect.instance j ON j.instance_s"),
            "SELECT * FROM aws.connect.instances i JOIN aws.connect.instance j ON j.instance_status"
        );
        assert!(cands("SELECT zz.| FROM aws.connect.instances i").is_empty());
    }

    #[test]
    fn region_strings() {
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances WHERE region = 'us-e"),
            "SELECT * FROM aws.connect.instances WHERE region = 'us-east-1'"
        );
        assert_eq!(
            cands("SELECT * FROM aws.connect.instances WHERE region = '").len(),
            catalog::CONNECT_REGIONS.len()
        );
        assert_eq!(
            cands("SELECT * FROM aws.connect.instances WHERE region = 'ap-"),
            [
                "ap-northeast-1",
                "ap-northeast-2",
                "ap-southeast-1",
                "ap-southeast-2"
            ]
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1', 'eu-w"),
            "SELECT * FROM aws.connect.instances WHERE region IN ('us-east-1', 'eu-west-2'"
        );
        assert_eq!(
            applied("SELECT * FROM aws.connect.instances WHERE region IN ('eu-w"),
            "SELECT * FROM aws.connect.instances WHERE region IN ('eu-west-2'"
        );
        // The closing quote is not doubled.
        assert_eq!(
            applied("SELECT 1 WHERE region = 'us-w|'"),
            "SELECT 1 WHERE region = 'us-west-2'"
        );
        assert_eq!(
            applied("SELECT 1 WHERE i.region = 'il"),
            "SELECT 1 WHERE i.region = 'il-central-1'"
        );
        // Other strings are left alone.
        assert!(cands("SELECT * FROM aws.connect.instances WHERE instance_alias = 'us").is_empty());
        assert!(cands("SELECT 'us").is_empty());
    }

    #[test]
    fn instance_alias_strings_from_seen_instances() {
        for table in ["queues", "users", "instances"] {
            let c = cands(&format!(
                "SELECT * FROM aws.connect.{table} WHERE region = 'us-east-1' AND instance_alias = 'acme"
            ));
            assert_eq!(c, ["acme-support", "acme-sales"], "{table}");
        }
        assert_eq!(
            applied("SELECT name FROM aws.connect.queues q WHERE q.instance_alias IN ('acme-sa"),
            "SELECT name FROM aws.connect.queues q WHERE q.instance_alias IN ('acme-sales'"
        );
    }

    #[test]
    fn identifier_strings_from_seen_instances() {
        let c = cands("SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '");
        assert_eq!(&c[..2], ["acme-support", "acme-sales"]);
        assert_eq!(c.len(), 2 + 2 + 1);
        assert_eq!(
            cands("SELECT * FROM aws.connect.instance WHERE Identifier = 'acme-s"),
            ["acme-support", "acme-sales"]
        );
        assert_eq!(
            applied("DELETE FROM aws.connect.instances WHERE data__identifier = 'acme-sa"),
            "DELETE FROM aws.connect.instances WHERE data__identifier = 'acme-sales'"
        );
        assert_eq!(applied("SELECT * FROM aws.connect.instance WHERE data__Identifier IN ('acme-support', '3333"), "SELECT * FROM aws.connect.instance WHERE data__Identifier IN ('acme-support', '33333333-aaaa-4bbb-8ccc-000000000003'");
        assert_eq!(
            cands("SELECT * FROM aws.connect.instance WHERE data__Identifier = 'arn:").len(),
            1
        );
        assert!(complete("WHERE data__Identifier = '", 26, &Vec::new())
            .1
            .is_empty());
        // Only the instances of the regions the statement names.
        assert_eq!(
            cands("SELECT * FROM aws.connect.instance WHERE region = 'eu-west-2' AND data__Identifier = '"),
            ["33333333-aaaa-4bbb-8ccc-000000000003'"]
        );
        assert_eq!(
            cands("SELECT * FROM aws.connect.instance WHERE data__Identifier = '| AND region IN ('us-east-1')").len(),
            2 + 2 + 1
        );
        // A region with no instance seen: all of them.
        assert_eq!(
            cands("SELECT * WHERE region = 'il-central-1' AND Identifier = '").len(),
            6
        );
    }

    #[test]
    fn json_paths_on_attributes() {
        assert_eq!(
            applied("SELECT json_extract(attributes, '$.ContactL"),
            "SELECT json_extract(attributes, '$.ContactLens'"
        );
        let (start, c) = at("SELECT json_extract(attributes, '$.| FROM aws.connect.instances");
        assert_eq!(start, "SELECT json_extract(attributes, '$.".len());
        assert_eq!(c.len(), catalog::ATTRIBUTES.len());
        assert_eq!(c[0], "InboundCalls");
        let c = cands("SELECT json_extract(i.attributes, '");
        assert_eq!(c.len(), catalog::ATTRIBUTES.len());
        assert!(c[0].starts_with("$."));
        assert_eq!(
            applied("SELECT attributes->>'$.Early"),
            "SELECT attributes->>'$.EarlyMedia'"
        );
        assert_eq!(
            applied("SELECT * WHERE attributes -> '$.multipartyco"),
            "SELECT * WHERE attributes -> '$.MultiPartyConference'"
        );
        assert!(cands("SELECT json_extract(tags, '$.").is_empty());
    }

    #[test]
    fn meta_commands_and_their_arguments() {
        assert_eq!(applied(".outp"), ".output ");
        assert_eq!(applied(".q"), ".quit");
        assert_eq!(applied(".exi"), ".exit");
        assert_eq!(applied(".exp"), ".expanded ");
        assert_eq!(applied("\\q"), "\\q");
        assert_eq!(cands(".output "), ["table", "json", "csv", "text"]);
        assert_eq!(applied(".output j"), ".output json");
        assert_eq!(cands(".timing "), ["on", "off"]);
        assert_eq!(cands(".cache "), ["on", "off", "clear", "ttl"]);
        assert_eq!(
            cands(".region ").len(),
            catalog::CONNECT_REGIONS.len() + meta::REGION_WORDS.len()
        );
        assert_eq!(cands(".region eu"), ["eu-central-1", "eu-west-2"]);
        // The name after the last comma of a list, blanks allowed.
        assert_eq!(cands(".region us-east-1,eu"), ["eu-central-1", "eu-west-2"]);
        assert_eq!(
            applied(".region us-east-1, eu-w"),
            ".region us-east-1, eu-west-2"
        );
        assert!(cands(".region us-east-1,al").is_empty());
        assert_eq!(applied(".help out"), ".help output");
        assert!(cands(".output json ").is_empty());
        assert!(cands(".nothing ").is_empty());
        let c = cands(".");
        assert_eq!(c.len(), meta::COMMANDS.len());
        assert_eq!(applied("  .readon"), "  .readonly ");
    }

    #[test]
    fn cursor_in_the_middle_of_the_line() {
        let (start, c) = at("SELECT * FROM aws.con| WHERE region = 'us-east-1'");
        assert_eq!(start, 14);
        assert_eq!(c, ["aws.connect."]);
        assert_eq!(
            cands("SELECT id, inst| FROM aws.connect.instances"),
            ["instance_alias", "instance_status"]
        );
        assert_eq!(applied("sel|ect"), "select ect");
        // Completing the earlier of two statements.
        assert_eq!(
            applied("SELECT * FROM aws.c|; SELECT 1;"),
            "SELECT * FROM aws.connect.; SELECT 1;"
        );
    }

    #[test]
    fn comments_numbers_and_closed_strings_offer_nothing() {
        assert!(cands("SELECT -- sel").is_empty());
        assert!(cands("SELECT /* sel").is_empty());
        assert!(cands("SELECT 12").is_empty());
        assert!(cands("SELECT \"quo").is_empty());
        assert_eq!(
            applied("SELECT /* c */ instance_al"),
            "SELECT /* c */ instance_alias"
        );
    }

    #[test]
    fn multi_line_buffers() {
        assert_eq!(
            applied("SELECT id,\n  instance_al"),
            "SELECT id,\n  instance_alias"
        );
        assert_eq!(
            cands("SELECT *\nFROM aws.connect.instances\nWHERE region = 'us-east-"),
            ["us-east-1'"]
        );
    }

    #[test]
    fn unicode_never_panics() {
        let inputs = [
            "SELECT 'héllo wörld', naïve FROM aws.connect.instances WHERE region = 'ü",
            "SELECT 名前, 🦀 FROM aws.connect.ins WHERE instance_alias = 'café';",
            ".output ï",
            "ＳＥＬＥＣＴ ｉｄ",
            "SELECT json_extract(attributes, '$.Ç",
            "\u{0301}\u{200d}",
        ];
        for input in inputs {
            for pos in 0..=input.len() + 2 {
                let (start, c) = complete(input, pos, &seen());
                let p = floor_boundary(input, pos);
                assert!(start <= p, "{input:?} at {pos}: start {start}");
                assert!(input.is_char_boundary(start));
                let _ = c;
            }
        }
        assert_eq!(
            applied("SELECT naïve, instance_al"),
            "SELECT naïve, instance_alias"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_at_any_position(text in "\\PC{0,60}", pos in 0usize..80) {
            let (start, c) = complete(&text, pos, &seen());
            let p = floor_boundary(&text, pos);
            proptest::prop_assert!(start <= p && text.is_char_boundary(start));
            let _ = c;
        }

        #[test]
        fn sql_like_text_at_any_position(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "SELECT", "FROM", "WHERE", "aws.connect.", "instance", "region", "=", "'", "(", ")", ",",
                    "IN", "json_extract", "attributes", "'$.", "->>", ";", ".output", "i.", "\n", "--", "/*", "é", " ",
                ]),
                0..16,
            ),
            pos in 0usize..120,
        ) {
            let text = words.concat();
            let (start, _) = complete(&text, pos, &seen());
            proptest::prop_assert!(start <= floor_boundary(&text, pos));
        }
    }

    #[test]
    fn every_position_of_realistic_statements() {
        let statements = [
            "SELECT region, id, instance_alias, json_extract(attributes, '$.ContactLens') AS lens FROM aws.connect.instances WHERE region IN ('us-east-1', 'eu-west-2') ORDER BY created_time DESC;",
            "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\"}]') WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';",
            "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) SELECT 'CONNECT_MANAGED', 'x', '{}', 'us-east-1';",
            ".output json",
        ];
        for s in statements {
            for pos in 0..=s.len() {
                let (start, _) = complete(s, pos, &seen());
                assert!(start <= pos && s.is_char_boundary(start), "{s:?} at {pos}");
            }
        }
    }
}
