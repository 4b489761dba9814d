//! # connectql
//!
//! A fast, native, interactive SQL shell for Amazon Connect instances. It
//! speaks the resource model of StackQL's AWS provider
//! (`aws.connect.instance`, `aws.connect.instances`).
//!
//! ## Design: data flows one way
//!
//! ```text
//!  repl / cli ──text──▶ session ──▶ sql (parse, params, plan) ──▶ executor ──▶ connect_api ──▶ aws-sdk-connect
//!                                       │        ▲                   │ client pool (1 client / region)
//!                                    catalog ────┘                   │ session cache (region, instance id)
//!                                       │                            ▼
//!                                       └──────────────────────▶ engine (SQLite over fetched rows) ──▶ output
//! ```
//!
//! * [`catalog`] is the one table of resources, fields, methods, params and
//!   permissions. Planning, completion, `DESCRIBE`/`SHOW` and error messages
//!   all read it.
//! * [`sql`] parses with sqlparser, takes the required params (`region`,
//!   `data__Identifier`) out of top-level AND-ed `=`/`IN` predicates, works
//!   out which fields (so which API calls) a statement needs, and rewrites the
//!   statement to run over temporary tables.
//! * [`executor`] makes only the calls the plan needs, concurrently and
//!   bounded, through one lazily created client per region and a session
//!   cache of descriptions and attributes; partial failures become warnings,
//!   never silence.
//! * [`connect_api`] maps Connect's wire shapes to the catalog's
//!   (CloudFormation attribute names, Key/Value tags, ISO timestamps) and
//!   classifies errors (IAM action, credentials advice, not found...).
//! * [`engine`] is SQLite (rusqlite, bundled): everything after the fetch —
//!   WHERE, ORDER BY, GROUP BY, JOIN, `json_extract` — is real SQL.
//! * [`output`] renders table, json, csv or text.
//! * [`emulator`] is the local Connect endpoint: the real REST-JSON protocol,
//!   per-region state from the SigV4 scope, and fault injection, so the whole
//!   product (and the AWS CLI) can run without an AWS account.

// The futures of a statement nest deeply (session, executor, pacer, SDK).
#![recursion_limit = "256"]

pub mod catalog;
pub mod cli;
pub mod connect_api;
pub mod emulator;
pub mod engine;
pub mod error;
pub mod executor;
pub mod explain;
pub mod introspection;
pub mod outcome;
pub mod output;
pub mod repl;
pub mod session;
pub mod sql;
