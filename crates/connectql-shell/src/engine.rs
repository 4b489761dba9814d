//! The relational engine: an in-memory SQLite database (rusqlite, bundled)
//! that runs the user's SQL over the fetched rows. Each source of a plan
//! becomes a temporary table with its resource's fields as columns, typed
//! from the catalog; object and array fields are JSON text declared as
//! `JSON` (and booleans as `BOOLEAN`), so SQLite's JSON functions work on
//! them and the output layer renders them as nested JSON (and true/false)
//! again. LIKE is case-sensitive (as in PostgreSQL), so the predicates
//! pushed into Connect's search mean the same thing in both places.
//!
//! The statement is prepared against empty tables before any API call, so
//! unknown columns and SQL errors cost nothing.
//!
//! The user's SQL is guarded: an authorizer lets it only read the fetched
//! tables and `json_each`/`json_tree` and call functions (not
//! `load_extension`), so a `WITH … DELETE` or a `pragma_*` table cannot
//! touch anything; SQLite's heap (temporary tables and sorts included, kept
//! in memory) is bounded by [`Limits::sqlite_heap_bytes`]; double-quoted
//! strings are identifiers only, so a misspelt `"column"` is an error, not a
//! string; and a cancelled statement is stopped through a cancel flag a
//! progress handler checks, which no later statement can clear (SQLite
//! forgets a pending interrupt when the next statement starts).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::config::DbConfig;
use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, InterruptHandle};

use crate::catalog::{self, FieldType};
use crate::error::Error;
use crate::executor::Row;
use crate::sql::planner::SelectPlan;

/// How much a column matters to a reader when a narrow terminal cannot
/// show every column whole: the table hides and narrows the lightest
/// first, and keeps the statement's order for the columns it shows. A
/// plain hint for the output layer, set where the columns are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Weight {
    /// ARNs, ids and the like (and a change's call and region): what a
    /// reader can do without first.
    Detail,
    #[default]
    Plain,
    /// Named by the statement itself (not through `*`), or the value a
    /// change replaces: cut narrower than plain columns before hidden.
    Asked,
    /// A change's new value and outcome (status, an error): cut like
    /// asked columns, hidden only after them.
    Outcome,
    /// Says which item a row is (username, name, instance_alias…) or what
    /// it is about (a field's name, a change's property): never cut.
    Name,
}

/// A result column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The values are JSON documents (render nested, not as strings).
    pub json: bool,
    pub weight: Weight,
}

impl Column {
    /// A plain column (introspection and EXPLAIN results).
    pub fn plain(name: &str) -> Column {
        Column {
            name: name.to_string(),
            json: false,
            weight: Weight::Plain,
        }
    }

    /// This column with `weight`.
    pub fn weighing(mut self, weight: Weight) -> Column {
        self.weight = weight;
        self
    }
}

/// Rows of JSON values: null, numbers, strings, and nested objects/arrays
/// for JSON columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// Bounds on what one statement may return.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_rows: usize,
    /// Approximate bytes of the result's values.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 1_000_000,
            max_bytes: 256 * 1024 * 1024,
        }
    }
}

/// SQLite's own heap beyond twice the result bound: the fetched rows it
/// holds, its caches and parsed statements.
const SQLITE_HEAP_BASE: usize = 64 * 1024 * 1024;

impl Limits {
    /// The most memory SQLite may hold (fetched rows, temporary tables,
    /// sorts, recursive CTEs): twice `--max-result-mb` plus 64 MiB.
    pub fn sqlite_heap_bytes(&self) -> usize {
        self.max_bytes
            .saturating_mul(2)
            .saturating_add(SQLITE_HEAP_BASE)
    }
}

/// How often (in SQLite VM instructions) the progress handler looks at the
/// cancel flag: often enough to stop within microseconds.
const PROGRESS_OPS: i32 = 1000;

/// Functions the user's SQL may not call even where SQLite has them.
const DENIED_FUNCTIONS: &[&str] = &["load_extension", "fts3_tokenizer"];

/// SQLite's own tables: the schema (`sqlite_master`...), the `pragma_*`
/// table-valued functions and `dbstat`. The user's SQL reads the fetched
/// tables, its CTEs and subqueries, and `json_each`/`json_tree` (the main
/// database is empty and nothing can be attached, so a name that is none
/// of SQLite's own tables is one of those; SQLite gives no database name
/// for a `count(*)` read to tell them apart).
fn is_schema_table(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sqlite_") || lower.starts_with("pragma_") || lower == "dbstat"
}

/// The engine: SQLite on a blocking thread, so the async runtime never
/// waits on it, and interruptible — dropping a running statement's future
/// (Ctrl-C, the statement deadline) interrupts SQLite at once.
pub struct Engine {
    db: Arc<Mutex<Db>>,
    interrupt: Arc<InterruptHandle>,
    pub limits: Limits,
}

/// Cancels the engine's work if the future running it is dropped: sets the
/// work's own cancel flag (which the progress handler and the loading loop
/// check, so it cannot be lost between statements) and interrupts SQLite.
struct InterruptOnDrop {
    handle: Arc<InterruptHandle>,
    cancel: Arc<AtomicBool>,
    armed: bool,
}

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        if self.armed {
            self.cancel.store(true, Ordering::SeqCst);
            self.handle.interrupt();
        }
    }
}

impl Engine {
    pub fn new() -> Result<Engine, Error> {
        let db = Db::open()?;
        let interrupt = Arc::new(db.conn.get_interrupt_handle());
        Ok(Engine {
            db: Arc::new(Mutex::new(db)),
            interrupt,
            limits: Limits::default(),
        })
    }

    /// Runs `work` on the database on a blocking thread; if the returned
    /// future is dropped first, SQLite is interrupted.
    async fn on_db<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Db) -> Result<T, Error> + Send + 'static,
    ) -> Result<T, Error> {
        let cancel = Arc::new(AtomicBool::new(false));
        let mut guard = InterruptOnDrop {
            handle: self.interrupt.clone(),
            cancel: cancel.clone(),
            armed: true,
        };
        let db = self.db.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut db = db.lock().unwrap_or_else(|p| p.into_inner());
            db.watch(cancel);
            if db.cancelled() {
                return Err(Error::Engine("cancelled".into()));
            }
            work(&mut db)
        })
        .await;
        guard.armed = false;
        match result {
            Ok(r) => r,
            Err(e) => Err(Error::Engine(format!("internal: the engine stopped: {e}"))),
        }
    }

    /// Prepares the plan's SQL against empty tables: every SQL error
    /// (unknown column, bad function...) surfaces before any API call.
    pub async fn check(&self, plan: &SelectPlan) -> Result<(), Error> {
        let plan = plan.clone();
        let limits = self.limits;
        self.on_db(move |db| db.check(&plan, limits)).await
    }

    /// Loads the fetched rows (one list per source, in plan order) and runs
    /// the plan's SQL over them, within the result bounds.
    pub async fn run(&self, plan: &SelectPlan, data: Vec<Vec<Row>>) -> Result<ResultSet, Error> {
        let named = named_by_statement(&plan.sql);
        let p = plan.clone();
        let limits = self.limits;
        let mut rs = self.on_db(move |db| db.run(&p, data, limits)).await?;
        weigh(&mut rs, plan, named);
        Ok(rs)
    }
}

/// Which of the result's columns the statement names itself rather than
/// through a wildcard: the select items before the first `*` and after
/// the last one (as many from the start and from the end of the result);
/// every item when there is no `*`; none of a compound query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Named {
    leading: usize,
    trailing: usize,
    all: bool,
}

fn named_by_statement(sql: &str) -> Named {
    use sqlparser::ast::{SelectItem, SetExpr, Statement};
    let none = Named {
        leading: 0,
        trailing: 0,
        all: false,
    };
    let Ok(Statement::Query(query)) = crate::sql::parse_one(sql) else {
        return none;
    };
    let SetExpr::Select(select) = query.body.as_ref() else {
        return none;
    };
    let star = |i: &SelectItem| {
        matches!(
            i,
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
        )
    };
    let items = &select.projection;
    match (items.iter().position(star), items.iter().rposition(star)) {
        (Some(first), Some(last)) => Named {
            leading: first,
            trailing: items.len() - 1 - last,
            all: false,
        },
        _ => Named {
            leading: 0,
            trailing: 0,
            all: true,
        },
    }
}

/// Weighs the columns of a query's result from the catalog (the field
/// that names a source's items, its ids and ARNs) and the statement
/// (the columns it names).
fn weigh(rs: &mut ResultSet, plan: &SelectPlan, named: Named) {
    let n = rs.columns.len();
    for (i, c) in rs.columns.iter_mut().enumerate() {
        let fields = plan.sources.iter().filter_map(|s| {
            let r = s.resource;
            r.field(&c.name).map(|f| (r, f))
        });
        let mut names_item = false;
        let mut detail = false;
        for (r, f) in fields {
            names_item |= f.name == r.name_field;
            detail |= opaque(r, f);
        }
        let asked = named.all || i < named.leading || i >= n.saturating_sub(named.trailing);
        c.weight = if names_item {
            Weight::Name
        } else if asked {
            Weight::Asked
        } else if detail {
            Weight::Detail
        } else {
            Weight::Plain
        };
    }
}

/// What a person reads last: identifiers (the item's id and ARN, the
/// instance's ARN, the ids and ARNs of other items it refers to) and
/// fields no read returns (always NULL).
fn opaque(r: &catalog::ResourceType, f: &catalog::Field) -> bool {
    f.name == r.id_field
        || Some(f.name) == r.arn_field
        || matches!(f.source, catalog::Source::InstanceArn)
        || (matches!(f.source, catalog::Source::Unavailable(_)) && f.alternatives.is_empty())
        || ["_id", "_ids", "_arn", "_arns"]
            .iter()
            .any(|s| f.name.ends_with(s))
}

/// What the authorizer lets through: everything for the engine's own
/// statements (creating and loading the tables); for the user's SQL only
/// reading and functions.
#[derive(Default)]
struct Guard {
    /// The user's SQL is being prepared or run.
    user_sql: bool,
    /// What the authorizer last refused, for the error message.
    denied: Option<String>,
}

/// Runs `work` with the authorizer restricted to what the user's SQL may
/// do.
fn as_user<T>(guard: &Mutex<Guard>, work: impl FnOnce() -> T) -> T {
    {
        let mut g = guard.lock().unwrap_or_else(|p| p.into_inner());
        g.user_sql = true;
        g.denied = None;
    }
    let result = work();
    guard.lock().unwrap_or_else(|p| p.into_inner()).user_sql = false;
    result
}

/// What the user's SQL may do: select (recursively too), read what is not
/// SQLite's own (see [`is_schema_table`]) and call functions other than
/// [`DENIED_FUNCTIONS`]. Everything else (writes, DDL, PRAGMA, ATTACH,
/// transactions) is refused and remembered for the error message.
fn authorize(guard: &mut Guard, ctx: &AuthContext<'_>) -> Authorization {
    if !guard.user_sql {
        return Authorization::Allow;
    }
    let action = &ctx.action;
    let refused = match action {
        AuthAction::Select | AuthAction::Recursive => return Authorization::Allow,
        AuthAction::Read { table_name, .. } => {
            if !is_schema_table(table_name) {
                return Authorization::Allow;
            }
            format!("reading {table_name}")
        }
        AuthAction::Function { function_name } => {
            if !DENIED_FUNCTIONS
                .iter()
                .any(|f| f.eq_ignore_ascii_case(function_name))
            {
                return Authorization::Allow;
            }
            format!("the function {function_name}")
        }
        AuthAction::Pragma { pragma_name, .. } => format!("PRAGMA {pragma_name}"),
        AuthAction::Insert { table_name } => format!("inserting into {table_name}"),
        AuthAction::Update { table_name, .. } => format!("updating {table_name}"),
        AuthAction::Delete { table_name } => format!("deleting from {table_name}"),
        other => format!("{other:?}"),
    };
    guard.denied = Some(refused);
    Authorization::Deny
}

/// Maps an error of the user's SQL: refusals by the authorizer and the
/// heap limit get their own words.
fn user_error(
    guard: &Mutex<Guard>,
    e: rusqlite::Error,
    plan: &SelectPlan,
    limits: Limits,
) -> Error {
    let denied = guard
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .denied
        .take();
    if let Some(what) = denied {
        return Error::Refused(format!(
            "not authorized: {what}; the SQL may only read the fetched tables, its own CTEs and subqueries, and json_each/json_tree"
        ));
    }
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OutOfMemory) {
        return Error::Refused(format!(
            "the SQL needed more than {} MiB of memory in the engine (twice --max-result-mb plus 64 MiB); add a LIMIT or a WHERE clause, or raise --max-result-mb",
            limits.sqlite_heap_bytes() / (1024 * 1024)
        ));
    }
    sql_error(e, plan)
}

/// The connection and the synchronous work on it.
struct Db {
    conn: Connection,
    guard: Arc<Mutex<Guard>>,
    /// The running work's cancel flag.
    cancel: Arc<AtomicBool>,
}

impl Db {
    fn open() -> Result<Db, Error> {
        let conn = Connection::open_in_memory()
            .map_err(|e| Error::Engine(format!("cannot open SQLite: {e}")))?;
        // `"name"` is always an identifier: a misspelt column in double
        // quotes is "no such column", never a string literal.
        for dqs in [
            DbConfig::SQLITE_DBCONFIG_DQS_DML,
            DbConfig::SQLITE_DBCONFIG_DQS_DDL,
        ] {
            conn.set_db_config(dqs, false)
                .map_err(|e| Error::Engine(e.to_string()))?;
        }
        // Temporary tables, sorts and CTEs stay in memory, under the heap
        // limit, instead of growing temporary files without bound.
        conn.execute_batch("PRAGMA temp_store = MEMORY;")
            .map_err(|e| Error::Engine(e.to_string()))?;
        // Bound the work one statement can ask of the engine.
        conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_EXPR_DEPTH, 200)
            .map_err(|e| Error::Engine(e.to_string()))?;
        conn.set_limit(
            rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
            16 * 1024 * 1024,
        )
        .map_err(|e| Error::Engine(e.to_string()))?;
        // Nothing may be attached: the engine sees only fetched rows.
        conn.set_limit(rusqlite::limits::Limit::SQLITE_LIMIT_ATTACHED, 0)
            .map_err(|e| Error::Engine(e.to_string()))?;
        conn.execute_batch("PRAGMA case_sensitive_like = ON;")
            .map_err(|e| Error::Engine(e.to_string()))?;
        let guard = Arc::new(Mutex::new(Guard::default()));
        let authorizer = guard.clone();
        conn.authorizer(Some(move |ctx: AuthContext<'_>| {
            let mut guard = authorizer.lock().unwrap_or_else(|p| p.into_inner());
            authorize(&mut guard, &ctx)
        }));
        Ok(Db {
            conn,
            guard,
            cancel: Arc::new(AtomicBool::new(false)),
        })
    }

    /// Makes `cancel` the flag of the work about to run: the progress
    /// handler stops SQLite as soon as it is set.
    fn watch(&mut self, cancel: Arc<AtomicBool>) {
        let flag = cancel.clone();
        self.conn
            .progress_handler(PROGRESS_OPS, Some(move || flag.load(Ordering::SeqCst)));
        self.cancel = cancel;
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// Bounds SQLite's heap (process-wide: one engine runs at a time).
    /// `PRAGMA hard_heap_limit` could only lower it, never raise it again
    /// for a statement with a larger `--max-result-mb`.
    fn set_heap_limit(&self, limits: Limits) {
        let bytes = i64::try_from(limits.sqlite_heap_bytes()).unwrap_or(i64::MAX);
        // SAFETY: sqlite3_hard_heap_limit64 takes a plain integer and is
        // safe to call from any thread at any time (it takes SQLite's
        // memory mutex).
        unsafe {
            rusqlite::ffi::sqlite3_hard_heap_limit64(bytes);
        }
    }

    fn create_tables(&self, plan: &SelectPlan) -> Result<(), Error> {
        for s in &plan.sources {
            let columns: Vec<String> = s
                .resource
                .fields
                .iter()
                .map(|f| format!("\"{}\" {}", f.name, f.ty.sql_decl()))
                .collect();
            self.conn
                .execute_batch(&format!(
                    "DROP TABLE IF EXISTS temp.\"{t}\"; CREATE TEMP TABLE \"{t}\" ({});",
                    columns.join(", "),
                    t = s.table
                ))
                .map_err(|e| Error::Engine(format!("internal: cannot create table: {e}")))?;
        }
        // Local files (read_csv / read_json): text columns, loaded here
        // (the rows were read when the statement was planned).
        for l in &plan.locals {
            let columns: Vec<String> = l
                .columns
                .iter()
                .map(|c| format!("\"{}\" TEXT", c.replace('"', "\"\"")))
                .collect();
            self.conn
                .execute_batch(&format!(
                    "DROP TABLE IF EXISTS temp.\"{t}\"; CREATE TEMP TABLE \"{t}\" ({});",
                    columns.join(", "),
                    t = l.table
                ))
                .map_err(|e| Error::Engine(format!("internal: cannot create table: {e}")))?;
            let placeholders = vec!["?"; l.columns.len()].join(", ");
            let mut insert = self
                .conn
                .prepare(&format!(
                    "INSERT INTO temp.\"{}\" VALUES ({placeholders})",
                    l.table
                ))
                .map_err(|e| Error::Engine(format!("internal: {e}")))?;
            for row in &l.rows {
                insert
                    .execute(rusqlite::params_from_iter(row.iter()))
                    .map_err(|e| Error::Engine(format!("cannot load a row of {}: {e}", l.table)))?;
            }
        }
        Ok(())
    }

    fn drop_tables(&self, plan: &SelectPlan) {
        for s in &plan.sources {
            let _ = self
                .conn
                .execute_batch(&format!("DROP TABLE IF EXISTS temp.\"{}\";", s.table));
        }
        for l in &plan.locals {
            let _ = self
                .conn
                .execute_batch(&format!("DROP TABLE IF EXISTS temp.\"{}\";", l.table));
        }
    }

    fn check(&self, plan: &SelectPlan, limits: Limits) -> Result<(), Error> {
        self.set_heap_limit(limits);
        self.create_tables(plan)?;
        let result = as_user(&self.guard, || self.conn.prepare(&plan.sql).map(|_| ()))
            .map_err(|e| user_error(&self.guard, e, plan, limits));
        self.drop_tables(plan);
        result
    }

    fn run(
        &mut self,
        plan: &SelectPlan,
        data: Vec<Vec<Row>>,
        limits: Limits,
    ) -> Result<ResultSet, Error> {
        self.set_heap_limit(limits);
        self.create_tables(plan)?;
        let result = self.load_and_query(plan, data, limits);
        self.drop_tables(plan);
        result
    }

    fn load_and_query(
        &mut self,
        plan: &SelectPlan,
        data: Vec<Vec<Row>>,
        limits: Limits,
    ) -> Result<ResultSet, Error> {
        let Db {
            conn,
            guard,
            cancel,
        } = self;
        let tx = conn
            .transaction()
            .map_err(|e| Error::Engine(format!("internal: {e}")))?;
        // Each fetched row is dropped once SQLite has it: the rows are held
        // once (in SQLite) while the user's SQL runs.
        for (source, rows) in plan.sources.iter().zip(data) {
            let fields = source.resource.fields;
            let placeholders = vec!["?"; fields.len()].join(", ");
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO \"{}\" VALUES ({placeholders})",
                    source.table
                ))
                .map_err(|e| Error::Engine(format!("internal: {e}")))?;
            for row in rows.into_iter() {
                // Each insert is a statement of its own, which would clear
                // a pending interrupt: the flag is checked here too.
                if cancel.load(Ordering::SeqCst) {
                    return Err(Error::Engine("cancelled".into()));
                }
                let values: Vec<SqlValue> = fields
                    .iter()
                    .zip(&row)
                    .map(|(f, v)| to_sql(f.ty, v))
                    .collect();
                insert
                    .execute(rusqlite::params_from_iter(values))
                    .map_err(|e| {
                        if e.sqlite_error_code() == Some(rusqlite::ErrorCode::OutOfMemory) {
                            Error::Refused(format!(
                                "the fetched rows need more than {} MiB of memory in the engine (twice --max-result-mb plus 64 MiB); narrow the WHERE clause, or raise --max-result-mb",
                                limits.sqlite_heap_bytes() / (1024 * 1024)
                            ))
                        } else {
                            Error::Engine(format!("internal: cannot load a row: {e}"))
                        }
                    })?;
            }
        }
        let result = as_user(guard, || query(&tx, guard, plan, limits));
        tx.commit()
            .map_err(|e| Error::Engine(format!("internal: {e}")))?;
        result
    }
}

fn query(
    conn: &Connection,
    guard: &Mutex<Guard>,
    plan: &SelectPlan,
    limits: Limits,
) -> Result<ResultSet, Error> {
    let user_error = |e| user_error(guard, e, plan, limits);
    let mut stmt = conn.prepare(&plan.sql).map_err(user_error)?;
    let columns: Vec<Column> = stmt
        .columns()
        .iter()
        .map(|c| Column {
            name: c.name().to_string(),
            json: c
                .decl_type()
                .is_some_and(|t| t.eq_ignore_ascii_case(FieldType::Object.sql_decl())),
            weight: Weight::Plain,
        })
        .collect();
    let booleans: Vec<bool> = stmt
        .columns()
        .iter()
        .map(|c| {
            c.decl_type()
                .is_some_and(|t| t.eq_ignore_ascii_case(FieldType::Boolean.sql_decl()))
        })
        .collect();
    let mut rows = Vec::new();
    let mut bytes = 0usize;
    let mut cursor = stmt.query([]).map_err(user_error)?;
    while let Some(row) = cursor.next().map_err(user_error)? {
        if rows.len() >= limits.max_rows {
            return Err(Error::Refused(format!(
                "the result has more than {} rows; add a LIMIT or a WHERE clause, or raise --max-rows",
                limits.max_rows
            )));
        }
        let mut values = Vec::with_capacity(columns.len());
        for (i, col) in columns.iter().enumerate() {
            let v = row.get_ref(i).map_err(|e| Error::Engine(e.to_string()))?;
            values.push(match (v, booleans[i]) {
                (ValueRef::Integer(b), true) => serde_json::Value::Bool(b != 0),
                (v, _) => to_json(v, col.json),
            });
        }
        bytes += values.iter().map(approximate_size).sum::<usize>();
        if bytes > limits.max_bytes {
            return Err(Error::Refused(format!(
                "the result is larger than {} MiB; select fewer columns or rows, or raise --max-result-mb",
                limits.max_bytes / (1024 * 1024)
            )));
        }
        rows.push(values);
    }
    Ok(ResultSet { columns, rows })
}

/// Roughly what a value costs in memory (for the result bound).
fn approximate_size(v: &serde_json::Value) -> usize {
    use serde_json::Value;
    16 + match v {
        Value::String(s) => s.len(),
        Value::Array(a) => a.iter().map(approximate_size).sum(),
        Value::Object(o) => o.iter().map(|(k, v)| k.len() + approximate_size(v)).sum(),
        _ => 0,
    }
}

/// A field's value as SQLite stores it.
fn to_sql(ty: FieldType, v: &serde_json::Value) -> SqlValue {
    use serde_json::Value;
    match (ty, v) {
        (_, Value::Null) => SqlValue::Null,
        (FieldType::Object | FieldType::Array, v) => SqlValue::Text(v.to_string()),
        (_, Value::String(s)) => SqlValue::Text(s.clone()),
        (_, Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => n.as_f64().map(SqlValue::Real).unwrap_or(SqlValue::Null),
        },
        (_, other) => SqlValue::Text(other.to_string()),
    }
}

fn to_json(v: ValueRef<'_>, json_column: bool) -> serde_json::Value {
    use serde_json::Value;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        ValueRef::Text(t) => {
            let s = String::from_utf8_lossy(t);
            if json_column {
                serde_json::from_str(&s).unwrap_or_else(|_| Value::String(s.into_owned()))
            } else {
                Value::String(s.into_owned())
            }
        }
        ValueRef::Blob(b) => Value::String(format!("<{} bytes>", b.len())),
    }
}

/// Maps SQLite's messages to the catalog's words, with suggestions.
fn sql_error(e: rusqlite::Error, plan: &SelectPlan) -> Error {
    let msg = match &e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    };
    if let Some(rest) = msg.strip_prefix("no such column: ") {
        // Newer SQLite appends " in <sql> at offset N".
        let name = rest.split_whitespace().next().unwrap_or(rest);
        let bare = name.rsplit('.').next().unwrap_or(name);
        if catalog::canonical_param(bare).is_some() {
            return Error::InvalidParam {
                param: bare.to_string(),
                message: "it is a param, not a column: use it only in the WHERE clause, e.g. data__Identifier = '<arn, id or alias>'".into(),
            };
        }
        // Suggest from the fields of the tables the statement reads.
        let mut fields: Vec<&str> = plan
            .sources
            .iter()
            .flat_map(|s| s.resource.fields.iter().map(|f| f.name))
            .collect();
        fields.sort_unstable();
        fields.dedup();
        let tables: Vec<&str> = plan.sources.iter().map(|s| s.catalog.id.as_str()).collect();
        return Error::Unknown {
            what: "field",
            name: name.to_string(),
            suggestion: catalog::suggest(bare, fields.iter().copied()).map(str::to_string),
            known: if tables.is_empty() {
                String::new()
            } else {
                format!("fields of {}: {}", tables.join(", "), fields.join(", "))
            },
        };
    }
    if let Some(rest) = msg.strip_prefix("no such table: ") {
        return crate::sql::planner::unknown_resource(
            rest.split_whitespace().next().unwrap_or(rest),
        );
    }
    // Table names in SQLite's messages are the engine's; show the user's.
    let mut msg = msg;
    for s in &plan.sources {
        msg = msg.replace(&s.table, &s.catalog.id);
    }
    Error::Engine(format!("SQL error: {msg}"))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::sql::parse_one;
    use crate::sql::planner::plan_query;
    use crate::sql::resolve::PlanContext;

    fn plan(sql: &str) -> SelectPlan {
        let ctx = PlanContext {
            default_regions: vec!["us-east-1".into()],
            ..Default::default()
        };
        plan_query(sql, parse_one(sql).unwrap(), &ctx).unwrap()
    }

    /// `n` rows for each source of `plan`, every field a short string, the
    /// region us-east-1 (the statement's region predicates stay in its SQL).
    fn rows(plan: &SelectPlan, n: usize) -> Vec<Vec<Row>> {
        plan.sources
            .iter()
            .map(|s| {
                (0..n)
                    .map(|i| {
                        s.resource
                            .fields
                            .iter()
                            .map(|f| match f.name {
                                "region" => serde_json::Value::from("us-east-1"),
                                name => serde_json::Value::String(format!("{name}-{i}")),
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    const USERS: &str = "WHERE a.region = 'us-east-1' AND a.data__InstanceId = 'acme-support' \
                         AND b.region = 'us-east-1' AND b.data__InstanceId = 'acme-support'";

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn columns_are_weighed_from_the_catalog_and_the_statement() {
        let engine = Engine::new().unwrap();
        async fn weigh_of(engine: &Engine, sql: &str) -> Vec<(String, Weight)> {
            let p = plan(sql);
            let data = rows(&p, 1);
            let rs = engine.run(&p, data).await.unwrap();
            rs.columns.into_iter().map(|c| (c.name, c.weight)).collect()
        }
        let weights = |sql: &'static str| weigh_of(&engine, sql);
        let of =
            |cols: &[(String, Weight)], name: &str| cols.iter().find(|c| c.0 == name).map(|c| c.1);
        let star = weights("SELECT * FROM aws.connect.users").await;
        assert_eq!(of(&star, "username"), Some(Weight::Name));
        assert_eq!(of(&star, "id"), Some(Weight::Detail));
        assert_eq!(of(&star, "user_arn"), Some(Weight::Detail));
        assert_eq!(of(&star, "instance_arn"), Some(Weight::Detail));
        assert_eq!(of(&star, "routing_profile_arn"), Some(Weight::Detail));
        // Write-only: always NULL in a read.
        assert_eq!(of(&star, "password"), Some(Weight::Detail));
        assert_eq!(of(&star, "region"), Some(Weight::Plain));
        assert_eq!(of(&star, "identity_info"), Some(Weight::Plain));
        let inst = weights("SELECT * FROM aws.connect.instances").await;
        assert_eq!(of(&inst, "instance_alias"), Some(Weight::Name));
        assert_eq!(of(&inst, "arn"), Some(Weight::Detail));
        // Named by the statement, before and after the `*`.
        let mixed = weights("SELECT id, *, tags AS t FROM aws.connect.users").await;
        assert_eq!(mixed[0], ("id".to_string(), Weight::Asked));
        assert_eq!(mixed.last().unwrap(), &("t".to_string(), Weight::Asked));
        assert_eq!(of(&mixed[1..], "id"), Some(Weight::Detail));
        // No `*`: every column is asked for, the name still names.
        let listed =
            weights("SELECT user_arn, username, length(id) AS n FROM aws.connect.users").await;
        assert_eq!(
            listed,
            [
                ("user_arn".to_string(), Weight::Asked),
                ("username".to_string(), Weight::Name),
                ("n".to_string(), Weight::Asked),
            ]
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_double_quoted_typo_is_no_such_column() {
        let engine = Engine::new().unwrap();
        let typo = plan(
            "SELECT instance_alias FROM aws.connect.instances WHERE \"instance_staus\" = 'ACTIVE'",
        );
        let e = engine.check(&typo).await.unwrap_err().to_string();
        assert!(
            e.contains("unknown field") && e.contains("instance_status"),
            "{e}"
        );
        let right = plan(
            "SELECT instance_alias FROM aws.connect.instances WHERE \"instance_status\" = 'ACTIVE'",
        );
        engine.check(&right).await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_users_sql_only_reads() {
        let engine = Engine::new().unwrap();
        let sql = |s: &str| SelectPlan {
            sources: Vec::new(),
            sql: s.into(),
            locals: Vec::new(),
        };
        for (statement, refused) in [
            (
                "SELECT * FROM pragma_table_info('x')",
                "reading pragma_table_info",
            ),
            (
                "SELECT count(*) FROM pragma_function_list",
                "reading pragma_function_list",
            ),
            ("SELECT name FROM sqlite_master", "reading sqlite_master"),
            (
                "SELECT count(*) FROM sqlite_temp_master",
                "reading sqlite_temp_master",
            ),
            ("SELECT count(*) FROM dbstat", "reading dbstat"),
            ("SELECT load_extension('x')", "load_extension"),
            ("PRAGMA hard_heap_limit = 0", "PRAGMA hard_heap_limit"),
            ("CREATE TEMP TABLE t (x)", "not authorized"),
        ] {
            let e = engine
                .run(&sql(statement), Vec::new())
                .await
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("not authorized") && e.contains(refused),
                "{statement}: {e}"
            );
        }
        // The fetched table itself cannot be changed either.
        let fetched = plan("SELECT id FROM aws.connect.instances");
        for (statement, refused) in [
            (
                "WITH x AS (SELECT 1) DELETE FROM src0",
                "deleting from src0",
            ),
            (
                "WITH x AS (SELECT 1) UPDATE src0 SET id = 'x'",
                "updating src0",
            ),
            ("INSERT INTO src0 (id) SELECT 'x'", "inserting into src0"),
            ("DROP TABLE src0", "not authorized"),
        ] {
            let changed = SelectPlan {
                sources: fetched.sources.clone(),
                sql: statement.into(),
                locals: Vec::new(),
            };
            let e = engine
                .run(&changed, rows(&fetched, 3))
                .await
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("not authorized") && e.contains(refused),
                "{statement}: {e}"
            );
        }
        // What a SELECT needs still works: CTEs (recursive too), window
        // functions, JSON functions and json_each / json_tree.
        let answer = engine
            .run(
                &sql("WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 4) \
                      SELECT (SELECT count(*) FROM r), (SELECT sum(n) OVER () FROM r LIMIT 1), \
                      (SELECT count(*) FROM json_each('[1,2,3]')), \
                      (SELECT count(*) FROM json_tree('{\"a\":[1,2]}')), json_extract('{\"a\":7}', '$.a')"),
                Vec::new(),
            )
            .await
            .unwrap();
        let expected: Vec<serde_json::Value> = [4, 10, 3, 4, 7].map(serde_json::Value::from).into();
        assert_eq!(answer.rows, vec![expected]);
    }

    /// A cancel arriving while the fetched rows are loaded is not lost
    /// (SQLite forgets a pending interrupt when the next insert starts):
    /// the runaway query after the loading never runs, and the engine is
    /// free for the next statement at once.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancel_while_loading_is_not_lost() {
        let engine = Engine::new().unwrap();
        let runaway = plan(&format!(
            "SELECT count(*) FROM aws.connect.users a, aws.connect.users b {USERS}"
        ));
        let data = rows(&runaway, 100_000);
        let started = Instant::now();
        let run = tokio::time::timeout(Duration::from_millis(20), engine.run(&runaway, data)).await;
        assert!(run.is_err(), "the loading took less than 20 ms");
        let next = tokio::time::timeout(
            Duration::from_secs(10),
            engine.run(
                &SelectPlan {
                    sources: Vec::new(),
                    sql: "SELECT 42".into(),
                    locals: Vec::new(),
                },
                Vec::new(),
            ),
        )
        .await
        .expect("the engine is still busy with the cancelled statement")
        .unwrap();
        assert_eq!(next.rows, vec![vec![serde_json::Value::from(42)]]);
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    /// A cancel while the query runs over fetched rows stops it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancel_while_querying_stops_the_query() {
        let engine = Engine::new().unwrap();
        let runaway = plan(&format!(
            "SELECT count(*) FROM aws.connect.users a, aws.connect.users b, aws.connect.users c {USERS} \
             AND c.region = 'us-east-1' AND c.data__InstanceId = 'acme-support'"
        ));
        let data = rows(&runaway, 2_000);
        let run = tokio::time::timeout(Duration::from_secs(2), engine.run(&runaway, data)).await;
        assert!(run.is_err(), "8e9 rows counted in 2 s: {run:?}");
        let cancelled = Instant::now();
        let next = tokio::time::timeout(
            Duration::from_secs(5),
            engine.run(
                &SelectPlan {
                    sources: Vec::new(),
                    sql: "SELECT 42".into(),
                    locals: Vec::new(),
                },
                Vec::new(),
            ),
        )
        .await
        .expect("the engine is still busy with the cancelled statement")
        .unwrap();
        assert_eq!(next.rows, vec![vec![serde_json::Value::from(42)]]);
        assert!(
            cancelled.elapsed() < Duration::from_secs(1),
            "{:?}",
            cancelled.elapsed()
        );
    }
}
