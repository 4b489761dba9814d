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

use std::sync::{Arc, Mutex};

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, InterruptHandle};

use crate::catalog::{self, FieldType};
use crate::error::Error;
use crate::executor::Row;
use crate::sql::planner::SelectPlan;

/// A result column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// The values are JSON documents (render nested, not as strings).
    pub json: bool,
}

impl Column {
    /// A plain column (introspection and EXPLAIN results).
    pub fn plain(name: &str) -> Column {
        Column {
            name: name.to_string(),
            json: false,
        }
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

/// The engine: SQLite on a blocking thread, so the async runtime never
/// waits on it, and interruptible — dropping a running statement's future
/// (Ctrl-C, the statement deadline) interrupts SQLite at once.
pub struct Engine {
    db: Arc<Mutex<Db>>,
    interrupt: Arc<InterruptHandle>,
    pub limits: Limits,
}

/// Interrupts the engine's statement if the future running it is dropped.
struct InterruptOnDrop {
    handle: Arc<InterruptHandle>,
    armed: bool,
}

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        if self.armed {
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
        let mut guard = InterruptOnDrop {
            handle: self.interrupt.clone(),
            armed: true,
        };
        let db = self.db.clone();
        let result = tokio::task::spawn_blocking(move || {
            let mut db = db.lock().unwrap_or_else(|p| p.into_inner());
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
        self.on_db(move |db| db.check(&plan)).await
    }

    /// Loads the fetched rows (one list per source, in plan order) and runs
    /// the plan's SQL over them, within the result bounds.
    pub async fn run(&self, plan: &SelectPlan, data: Vec<Vec<Row>>) -> Result<ResultSet, Error> {
        let plan = plan.clone();
        let limits = self.limits;
        self.on_db(move |db| db.run(&plan, &data, limits)).await
    }
}

/// The connection and the synchronous work on it.
struct Db {
    conn: Connection,
}

impl Db {
    fn open() -> Result<Db, Error> {
        let conn = Connection::open_in_memory()
            .map_err(|e| Error::Engine(format!("cannot open SQLite: {e}")))?;
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
        Ok(Db { conn })
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
        Ok(())
    }

    fn drop_tables(&self, plan: &SelectPlan) {
        for s in &plan.sources {
            let _ = self
                .conn
                .execute_batch(&format!("DROP TABLE IF EXISTS temp.\"{}\";", s.table));
        }
    }

    fn check(&self, plan: &SelectPlan) -> Result<(), Error> {
        self.create_tables(plan)?;
        let result = self
            .conn
            .prepare(&plan.sql)
            .map(|_| ())
            .map_err(|e| sql_error(e, plan));
        self.drop_tables(plan);
        result
    }

    fn run(
        &mut self,
        plan: &SelectPlan,
        data: &[Vec<Row>],
        limits: Limits,
    ) -> Result<ResultSet, Error> {
        self.create_tables(plan)?;
        let result = self.load_and_query(plan, data, limits);
        self.drop_tables(plan);
        result
    }

    fn load_and_query(
        &mut self,
        plan: &SelectPlan,
        data: &[Vec<Row>],
        limits: Limits,
    ) -> Result<ResultSet, Error> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| Error::Engine(format!("internal: {e}")))?;
        for (source, rows) in plan.sources.iter().zip(data) {
            let fields = source.resource.fields;
            let placeholders = vec!["?"; fields.len()].join(", ");
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO \"{}\" VALUES ({placeholders})",
                    source.table
                ))
                .map_err(|e| Error::Engine(format!("internal: {e}")))?;
            for row in rows {
                let values: Vec<SqlValue> = fields
                    .iter()
                    .zip(row)
                    .map(|(f, v)| to_sql(f.ty, v))
                    .collect();
                insert
                    .execute(rusqlite::params_from_iter(values))
                    .map_err(|e| Error::Engine(format!("internal: cannot load a row: {e}")))?;
            }
        }
        let result = query(&tx, plan, limits);
        tx.commit()
            .map_err(|e| Error::Engine(format!("internal: {e}")))?;
        result
    }
}

fn query(conn: &Connection, plan: &SelectPlan, limits: Limits) -> Result<ResultSet, Error> {
    let mut stmt = conn.prepare(&plan.sql).map_err(|e| sql_error(e, plan))?;
    let columns: Vec<Column> = stmt
        .columns()
        .iter()
        .map(|c| Column {
            name: c.name().to_string(),
            json: c
                .decl_type()
                .is_some_and(|t| t.eq_ignore_ascii_case(FieldType::Object.sql_decl())),
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
    let mut cursor = stmt.query([]).map_err(|e| sql_error(e, plan))?;
    while let Some(row) = cursor.next().map_err(|e| sql_error(e, plan))? {
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
