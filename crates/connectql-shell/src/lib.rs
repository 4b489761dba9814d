//! # connectql
//!
//! A fast, native, interactive SQL shell for Amazon Connect instances and
//! their contents. It speaks the resource model of StackQL's AWS provider:
//! for each CloudFormation type `AWS::Connect::*` a singular table
//! (`aws.connect.user`) and a plural one (`aws.connect.users`).
//!
//! ## Design: data flows one way
//!
//! ```text
//!  repl / cli ──text──▶ session ──▶ sql (parse, params, resolve, push-down, plan calls)
//!                                       │   ▲
//!                                    catalog (the one table: operations, resources)
//!                                       ▼
//!                    executor (client pool, session cache) ──▶ connect_api ──▶ aws-sdk-connect
//!                                       │
//!                                       ▼
//!                    engine (SQLite over fetched rows) ──▶ outcome ──▶ output
//! ```
//!
//! * [`catalog`] is the one table. [`catalog::operations`] lists every
//!   Connect operation once (name = IAM action, HTTP binding, largest page,
//!   documented rate); each resource is one declarative entry: fields with
//!   their type, CloudFormation property and flags, the call that supplies
//!   each and how to read it from that call's answer, search keys, methods
//!   with required params and permissions. Planning, call pruning, the
//!   engine's columns, completion, DESCRIBE, EXPLAIN, the pacer, errors and
//!   the local endpoint's router all read it.
//! * [`sql`] parses with sqlparser, derives each table's scope soundly —
//!   params (`data__Identifier`, `data__InstanceId`: AND intersects, OR
//!   unites), `region` predicates evaluated by SQLite over a finite domain
//!   of regions (`sql::scope`), ARN links across joins, subqueries and JSON
//!   values — or refuses; resolves it through one resolver shared by SELECT
//!   and the changes, pushes exact predicates into Connect's SearchCriteria
//!   where that is a superset under Connect's documented semantics, chooses
//!   each table's calls at the lowest cost, and replaces only its table
//!   references and params in the user's own text (`sql::text`), so SQLite
//!   runs the user's SQL.
//! * [`executor`] makes those calls — per region, per instance, per item,
//!   concurrently and bounded — through one client per region and a session
//!   cache of answers; partial failures become warnings, never silence.
//! * [`connect_api`] is the mapping to aws-sdk-connect: which SDK call each
//!   operation is, typed answers back as their wire JSON (which the catalog
//!   reads), the pacer for Connect's rate limits, and errors that name the
//!   operation, the IAM action and what to do.
//! * [`differences`] is `aws.connect.instance_differences`, a table
//!   computed from the reads of two instances: per kind the planner's own
//!   SELECT in each instance, items matched by name, references compared
//!   by the names of what they point to; EXPLAIN prints the same reads.
//! * [`engine`] is SQLite (rusqlite, bundled) on a blocking thread,
//!   interrupted when its statement is cancelled, with bounded results.
//! * [`output`] renders an [`outcome`] as table, json, csv or text.
//! * The local Connect endpoint (the real REST-JSON protocol for instances
//!   and their contents, per-region state from the SigV4 scope, fault
//!   injection, so the whole product and the AWS CLI run without an AWS
//!   account) is the crate `connectql-emulator`, which imports only the
//!   operation table (`crates/connect-operations`, re-exported as
//!   [`catalog::operations`]). This library does not link it: the
//!   `connectql` binary supplies it to [`cli::main`] as a
//!   [`cli::LocalEndpoint`] for `connectql emulator` and `--demo`, so
//!   changing the endpoint does not rebuild the shell.

// The futures of a statement nest deeply (session, executor, pacer, SDK).
#![recursion_limit = "256"]

pub mod catalog;
pub mod cli;
pub mod connect_api;
pub mod copy;
pub mod differences;
pub mod engine;
pub mod error;
pub mod executor;
pub mod explain;
pub mod introspection;
pub mod logging;
pub mod outcome;
pub mod output;
pub mod repl;
pub mod session;
pub mod sql;
