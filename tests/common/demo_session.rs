//! An in-process connectql session against the in-process local endpoint
//! with the demo's data (what `connectql --demo` runs), for tests that send
//! hundreds of statements: no process per statement, no port per test.
//!
//! Included with `#[path = "common/demo_session.rs"] mod demo_session;`.
#![allow(dead_code)]

use connectql::executor::ConnectionOptions;
use connectql::session::{Session, SessionOptions};
use connectql_emulator::{self as emulator, EmulatorArgs, RunningEmulator};
use serde_json::Value;

/// The region a statement without a region predicate reads (`--demo`'s).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Every region the demo has instances in.
pub const DEMO_REGIONS: [&str; 3] = ["us-east-1", "eu-west-2", "ap-southeast-2"];

/// What connectql answered: the rows (each cell as connectql's JSON), or
/// the error's message.
pub type Answer = Result<Vec<Vec<Value>>, String>;

/// Rows with the warnings printed on stderr, and whether the answer was
/// marked partial (batch exit status 1).
pub struct Reply {
    pub rows: Vec<Vec<Value>>,
    pub warnings: Vec<String>,
    pub partial: bool,
}

pub struct DemoSession {
    // Declared before the runtime so it is dropped first.
    session: Session,
    _endpoint: RunningEmulator,
    runtime: tokio::runtime::Runtime,
}

impl DemoSession {
    /// Starts the endpoint with `--demo-data` (or empty) and a session
    /// whose default region is [`DEFAULT_REGION`].
    pub fn start(demo_data: bool) -> DemoSession {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let endpoint = runtime
            .block_on(emulator::start(EmulatorArgs {
                demo_data,
                ..EmulatorArgs::default()
            }))
            .expect("the local endpoint starts");
        let session = Session::new(SessionOptions {
            connection: ConnectionOptions {
                region: Some(DEFAULT_REGION.into()),
                endpoint_url: Some(endpoint.url()),
                static_credentials: Some(("demo".into(), "demo".into())),
                max_attempts: Some(1),
                ..ConnectionOptions::default()
            },
            ..SessionOptions::default()
        })
        .expect("a session");
        DemoSession {
            session,
            _endpoint: endpoint,
            runtime,
        }
    }

    /// Runs one statement; a partial answer (a region or instance that
    /// failed) is an error here, since the tests compare whole answers.
    pub fn query(&mut self, sql: &str) -> Answer {
        let reply = self.query_partial(sql)?;
        if reply.partial {
            return Err(format!("partial answer: {}", reply.warnings.join("; ")));
        }
        Ok(reply.rows)
    }

    /// Runs one statement and returns its rows with what stderr would say.
    pub fn query_partial(&mut self, sql: &str) -> Result<Reply, String> {
        let outcome = self
            .runtime
            .block_on(self.session.execute(sql))
            .map_err(|e| e.to_string())?;
        Ok(Reply {
            rows: outcome.result.map(|r| r.rows).unwrap_or_default(),
            warnings: outcome.warnings,
            partial: outcome.partial,
        })
    }
}
